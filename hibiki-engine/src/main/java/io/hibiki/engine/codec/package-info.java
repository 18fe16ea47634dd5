/**
 * The Engine.IO v4 packet codec: packet types, one packet's text and binary forms, and the long-polling payload of
 * several packets. Not API: public for the Socket.IO layer above, and may change in any version.
 */
package io.hibiki.engine.codec;
