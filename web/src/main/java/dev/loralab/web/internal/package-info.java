/** Netty pipeline and per-connection dispatch of the HTTP server. Not API. */
package dev.loralab.web.internal;
