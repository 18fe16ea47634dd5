/**
 * The Socket.IO v5 packet codec: {@link io.hibiki.socketio.parser.PacketEncoder} turns
 * {@link io.hibiki.socketio.parser.Packet}s into Engine.IO messages (one text message plus one binary
 * message per attachment), {@link io.hibiki.socketio.parser.PacketDecoder} reads them back, one
 * decoder per connection. Not API: public for the adapters, and may change in any version.
 */
package io.hibiki.socketio.parser;
