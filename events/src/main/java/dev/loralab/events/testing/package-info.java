/**
 * Test support for code that publishes events: {@link dev.loralab.events.testing.RecordingEventBus}
 * records what is published so tests and tools can inspect and await it.
 */
package dev.loralab.events.testing;
