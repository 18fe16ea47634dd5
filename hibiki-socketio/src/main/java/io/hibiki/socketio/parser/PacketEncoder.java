package io.hibiki.socketio.parser;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.MissingNode;

import java.io.IOException;
import java.util.List;
import java.util.Objects;

/**
 * Turns {@link Packet}s into Socket.IO v5 wire messages.
 *
 * <p>The text is {@code <type>[<attachments>-][<namespace>,][<id>][<json>]}: the namespace part is
 * left out for {@code "/"}, and when the data holds binary values an EVENT becomes a BINARY_EVENT
 * (an ACK a BINARY_ACK), each binary value is replaced by {@code {"_placeholder":true,"num":N}} and
 * returned as attachment {@code N}. A BINARY_EVENT or BINARY_ACK whose data holds no binary is sent
 * as a plain EVENT or ACK, so the type on the wire always matches the attachments that follow.
 *
 * <pre>{@code
 * PacketEncoder encoder = new PacketEncoder(mapper);
 * EncodedPacket out = encoder.encode(Packet.event("/", Packet.NO_ID, List.of("upload", bytes)));
 * // out.text() is 51-["upload",{"_placeholder":true,"num":0}], out.attachments() holds bytes
 * }</pre>
 *
 * <p>Instances are immutable and thread-safe; share one per server so each broadcast is encoded once.
 */
public class PacketEncoder {
    private final JsonFactory jsonFactory;
    private final ObjectWriter writer;

    /** An encoder using a plain {@link ObjectMapper}. */
    public PacketEncoder() {
        this(new ObjectMapper());
    }

    /**
     * An encoder serialising data with {@code mapper}'s configuration (modules, naming, inclusion).
     *
     * @param mapper the mapper whose configuration is used; its factory must write JSON
     * @throws IllegalArgumentException if {@code mapper} does not produce JSON
     */
    public PacketEncoder(ObjectMapper mapper) {
        Objects.requireNonNull(mapper, "mapper");
        JsonFactory factory = mapper.getFactory();
        if (!JsonFactory.FORMAT_NAME_JSON.equals(factory.getFormatName())) {
            throw new IllegalArgumentException("mapper must produce JSON, not " + factory.getFormatName());
        }
        this.jsonFactory = factory;
        this.writer = mapper.writer();
    }

    /**
     * Encodes one packet.
     *
     * @param packet the packet; its data, if any, is serialised with the mapper's configuration
     * @return the text message and the binary attachments found in the data
     * @throws IllegalArgumentException if Jackson cannot serialise the data, or if a packet other than
     *                                  an event or an acknowledgement holds binary values
     */
    public EncodedPacket encode(Packet packet) {
        PacketType type = packet.type();
        StringBuilder text = new StringBuilder(64);
        // Written as the non-binary type first; the common case then needs no fix-up below.
        text.append(digit(textType(type)));
        if (!Packet.MAIN_NAMESPACE.equals(packet.namespace())) {
            text.append(packet.namespace()).append(',');
        }
        if (packet.hasId()) {
            text.append(packet.id());
        }
        Object data = packet.data();
        if (data == null || data instanceof MissingNode) {
            return new EncodedPacket(text.toString(), List.of());
        }
        List<byte[]> attachments = writeJson(data, text);
        if (!attachments.isEmpty()) {
            text.setCharAt(0, digit(binaryType(type)));
            text.insert(1, attachments.size() + "-");
        }
        return new EncodedPacket(text.toString(), attachments);
    }

    private List<byte[]> writeJson(Object data, StringBuilder text) {
        try (PlaceholderGenerator generator =
                     new PlaceholderGenerator(jsonFactory.createGenerator(new StringBuilderWriter(text)))) {
            writer.writeValue(generator, data);
            generator.flush();
            return generator.attachments();
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot serialise packet data: " + e.getMessage(), e);
        }
    }

    private static PacketType textType(PacketType type) {
        return switch (type) {
            case BINARY_EVENT -> PacketType.EVENT;
            case BINARY_ACK -> PacketType.ACK;
            default -> type;
        };
    }

    private static PacketType binaryType(PacketType type) {
        return switch (type) {
            case EVENT, BINARY_EVENT -> PacketType.BINARY_EVENT;
            case ACK, BINARY_ACK -> PacketType.BINARY_ACK;
            // socket.io-parser has no wire form for binary in these packets either.
            default -> throw new IllegalArgumentException(type + " packets cannot carry binary data");
        };
    }

    private static char digit(PacketType type) {
        return (char) ('0' + type.code());
    }
}
