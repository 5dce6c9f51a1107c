/** Subscriber queues and stream sessions of the event system. Not API. */
package dev.loralab.events.internal;
