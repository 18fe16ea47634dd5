package io.hibiki.socketio.parser;

import java.util.List;
import java.util.Objects;

/**
 * One Socket.IO v5 packet.
 *
 * <p>{@code data} is one of:
 * <ul>
 *   <li>{@code null}: the packet has no payload;</li>
 *   <li>a Jackson {@link com.fasterxml.jackson.databind.JsonNode}: what {@link PacketDecoder} produces,
 *       with each binary attachment as a {@link com.fasterxml.jackson.databind.node.BinaryNode};</li>
 *   <li>any value Jackson can serialise: what the server builds, e.g. a {@code List} holding the event
 *       name and arguments, or a {@code Map} for a CONNECT payload. Every {@code byte[]},
 *       {@link java.nio.ByteBuffer} and {@code BinaryNode} found in it, at any depth, is sent as a
 *       binary attachment.</li>
 * </ul>
 *
 * <pre>{@code
 * Packet hello = Packet.event("/chat", Packet.NO_ID, List.of("message", "hi", 42));
 * }</pre>
 *
 * @param type      the packet type
 * @param namespace the namespace, {@code "/"} for the main one; starts with {@code '/'} and contains no {@code ','}
 * @param id        the acknowledgement id, or {@link #NO_ID}
 * @param data      the payload, see above
 */
public record Packet(PacketType type, String namespace, long id, Object data) {

    /** The {@link #id()} of a packet that carries no acknowledgement id. */
    public static final long NO_ID = -1;

    /** The main namespace. */
    public static final String MAIN_NAMESPACE = "/";

    /**
     * Checks the invariants the wire format depends on.
     *
     * @param type      the packet type
     * @param namespace the namespace; must start with {@code '/'} and contain no {@code ','}
     * @param id        the acknowledgement id, or {@link #NO_ID}
     * @param data      the payload, or {@code null}
     * @throws NullPointerException     if {@code type} or {@code namespace} is {@code null}
     * @throws IllegalArgumentException if the namespace or the id breaks those rules
     */
    public Packet {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(namespace, "namespace");
        // The decoder finds the namespace by its leading '/' and its terminating ',',
        // so any other namespace would be re-read as something else.
        if (!namespace.startsWith("/") || namespace.indexOf(',') >= 0) {
            throw new IllegalArgumentException("namespace must start with '/' and contain no ',': " + namespace);
        }
        if (id < NO_ID) {
            throw new IllegalArgumentException("id must be NO_ID or non-negative: " + id);
        }
    }

    /**
     * Whether the packet carries an acknowledgement id.
     *
     * @return {@code true} unless the id is {@link #NO_ID}
     */
    public boolean hasId() {
        return id != NO_ID;
    }

    /**
     * An EVENT packet; the encoder turns it into a BINARY_EVENT when the arguments hold binary values.
     *
     * @param namespace   the namespace, {@code "/"} for the main one
     * @param id          the acknowledgement id the client answers to, or {@link #NO_ID} for no answer
     * @param nameAndArgs the event name followed by its arguments
     * @return the packet
     */
    public static Packet event(String namespace, long id, List<?> nameAndArgs) {
        return new Packet(PacketType.EVENT, namespace, id, Objects.requireNonNull(nameAndArgs, "nameAndArgs"));
    }

    /**
     * An ACK packet answering {@code id}; the encoder turns it into a BINARY_ACK when the arguments hold binary values.
     *
     * @param namespace the namespace of the event being answered
     * @param id        the acknowledgement id of the event being answered
     * @param args      the acknowledgement's arguments, possibly empty
     * @return the packet
     */
    public static Packet ack(String namespace, long id, List<?> args) {
        return new Packet(PacketType.ACK, namespace, id, Objects.requireNonNull(args, "args"));
    }

    /**
     * A CONNECT packet; {@code payload} is {@code null} or an object such as {@code Map.of("sid", id)}.
     *
     * @param namespace the namespace joined
     * @param payload   the payload, or {@code null}
     * @return the packet
     */
    public static Packet connect(String namespace, Object payload) {
        return new Packet(PacketType.CONNECT, namespace, NO_ID, payload);
    }

    /**
     * A CONNECT_ERROR packet; {@code payload} is usually {@code {"message": ..., "data": ...}}.
     *
     * @param namespace the namespace refused
     * @param payload   why it was refused
     * @return the packet
     */
    public static Packet connectError(String namespace, Object payload) {
        return new Packet(PacketType.CONNECT_ERROR, namespace, NO_ID, payload);
    }

    /**
     * A DISCONNECT packet for {@code namespace}.
     *
     * @param namespace the namespace left
     * @return the packet, with no payload
     */
    public static Packet disconnect(String namespace) {
        return new Packet(PacketType.DISCONNECT, namespace, NO_ID, null);
    }
}
