/**
 * A MessagePack codec that writes what Node's notepack.io writes and reads what Node peers send (notepack 2 and 3,
 * {@code @msgpack/msgpack}), into plain Java values, on msgpack-core. Not API: used by the msgpack parser of this
 * module and by the Redis adapters, and may change in any version.
 */
package io.hibiki.socketio.msgpack;
