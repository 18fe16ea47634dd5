/**
 * A MessagePack codec that writes what Node's notepack.io writes and reads what Node peers send (notepack 2 and 3,
 * {@code @msgpack/msgpack}), into plain Java values. Not API: used by the adapters of this module, and may
 * change in any version.
 */
package io.hibiki.redis.msgpack;
