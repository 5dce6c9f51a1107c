/**
 * Named, correlated events (GitHub issue 4): the model, the catalogue, the bus, history and the
 * streaming APIs.
 *
 * <ul>
 *   <li>Model: {@link dev.loralab.events.Event} (The Things Stack's fields, cached protobuf and JSON
 *       renderings), {@link dev.loralab.events.EventDefinition}, {@link dev.loralab.events.EventCatalogue}
 *       (exact, {@code /regex/} and glob name filters), {@link dev.loralab.events.CorrelationIds},
 *       {@link dev.loralab.events.CorrelationContext}, {@link dev.loralab.events.Ulid},
 *       {@link dev.loralab.events.EventFactory}.</li>
 *   <li>Bus: {@link dev.loralab.events.EventBus} / {@link dev.loralab.events.InMemoryEventBus} with
 *       bounded per-subscriber queues and in-band {@code events.stream.lag} events;
 *       {@link dev.loralab.events.EventHistory} / {@link dev.loralab.events.InMemoryEventHistory}.</li>
 *   <li>Streams: {@link dev.loralab.events.EventStreams} (shared semantics),
 *       {@link dev.loralab.events.EventsHttpRoutes} (SSE and NDJSON on {@code POST /api/v3/events}),
 *       {@link dev.loralab.events.EventsGrpcService} ({@code ttn.lorawan.v3.Events}).</li>
 * </ul>
 */
package dev.loralab.events;
