package io.hibiki.socketio.parser;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Reads Socket.IO v5 packets from the Engine.IO messages of one connection.
 *
 * <p>Feed every text message to {@link #decodeText} and every binary message to {@link #decodeBinary}.
 * A BINARY_EVENT or BINARY_ACK announcing {@code N} attachments is returned by the call that
 * delivers its {@code N}th binary message, with each placeholder replaced by a
 * {@link com.fasterxml.jackson.databind.node.BinaryNode}; the calls before it return {@code null}.
 *
 * <pre>{@code
 * Packet packet = message.isText() ? decoder.decodeText(message.text()) : decoder.decodeBinary(message.bytes());
 * if (packet != null) {
 *     dispatch(packet);
 * }
 * }</pre>
 *
 * <p>Decoded packets keep the wire type (a BINARY_EVENT stays a BINARY_EVENT) and their data is a
 * {@link JsonNode} or {@code null}. Every malformed input, including a text message while attachments
 * are awaited and a binary message while none is, throws {@link PacketParseException}, after which
 * the decoder is back in its initial state. A binary packet announcing zero attachments is accepted,
 * as socket.io-parser accepts it, and returned at once; any placeholder in it is then out of range.
 *
 * <p>Not thread-safe: binary reassembly makes it stateful, so use one instance per connection.
 */
public final class PacketDecoder implements MessageDecoder {

    /** The default limit on attachments per packet, socket.io-parser's {@code maxAttachments} default. */
    public static final int DEFAULT_MAX_ATTACHMENTS = 10;

    /**
     * The longest accepted acknowledgement id, in digits. Fifteen digits fit a {@code long} and stay
     * below 2^53, so the id survives a round trip through a JavaScript number.
     */
    public static final int MAX_ID_DIGITS = 15;

    // Longer counts overflow an int; they are over any sane limit anyway.
    private static final int MAX_COUNT_DIGITS = 9;

    private static final int MAX_DETAIL_CHARS = 200;

    private final ObjectReader reader;
    private final int maxAttachments;
    private final long maxAttachmentBytes;
    private Pending pending;

    /**
     * A decoder allowing {@link #DEFAULT_MAX_ATTACHMENTS} attachments per packet.
     *
     * @param mapper parses the JSON payloads; see {@link #PacketDecoder(ObjectMapper, int)}
     */
    public PacketDecoder(ObjectMapper mapper) {
        this(mapper, DEFAULT_MAX_ATTACHMENTS);
    }

    /**
     * A decoder parsing JSON with {@code mapper} (which should keep Jackson's strict defaults: no
     * comments, no single quotes), accepting at most {@code maxAttachments} attachments per packet.
     *
     * @param mapper         parses the JSON payloads
     * @param maxAttachments the most attachments one packet may announce; 0 refuses every binary packet that
     *                       announces any
     * @throws IllegalArgumentException if {@code maxAttachments} is negative
     */
    public PacketDecoder(ObjectMapper mapper, int maxAttachments) {
        this(readerFor(mapper), maxAttachments);
    }

    /**
     * A decoder sharing a reader made by {@link #readerFor} (one per server rather than one per connection: a
     * reader and its configuration are immutable, and cost a few hundred bytes each).
     *
     * @param reader         parses the JSON payloads
     * @param maxAttachments the most attachments one packet may announce
     * @throws IllegalArgumentException if {@code maxAttachments} is negative
     */
    public PacketDecoder(ObjectReader reader, int maxAttachments) {
        this(reader, maxAttachments, Long.MAX_VALUE);
    }

    /**
     * As {@link #PacketDecoder(ObjectReader, int)}, and the attachments of one packet may add up to at most
     * {@code maxAttachmentBytes}: a packet that announces ten attachments and sends nine cannot hold ten times one
     * message's limit while the tenth never comes.
     *
     * @param reader             parses the JSON payloads
     * @param maxAttachments     the most attachments one packet may announce
     * @param maxAttachmentBytes the most bytes the attachments of one packet may hold together;
     *                           {@link Long#MAX_VALUE} for no limit
     * @throws IllegalArgumentException if {@code maxAttachments} is negative
     */
    public PacketDecoder(ObjectReader reader, int maxAttachments, long maxAttachmentBytes) {
        Objects.requireNonNull(reader, "reader");
        if (maxAttachments < 0) {
            throw new IllegalArgumentException("maxAttachments must not be negative: " + maxAttachments);
        }
        this.reader = reader;
        this.maxAttachments = maxAttachments;
        this.maxAttachmentBytes = maxAttachmentBytes;
    }

    /**
     * The reader packets are parsed with: strict, and (as JSON.parse) refusing trailing garbage.
     *
     * @param mapper the mapper whose configuration the reader keeps
     * @return a reader to share between decoders
     */
    public static ObjectReader readerFor(ObjectMapper mapper) {
        Objects.requireNonNull(mapper, "mapper");
        return mapper.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }

    /**
     * Decodes one Engine.IO text message.
     *
     * @param message the message text, without the Engine.IO {@code "4"} prefix
     * @return the packet, or {@code null} when it announced attachments that have yet to arrive
     * @throws PacketParseException if the message is not a valid packet or attachments are awaited
     */
    @Override
    public Packet decodeText(String message) throws PacketParseException {
        if (pending != null) {
            int missing = pending.expected - pending.received.size();
            pending = null;
            throw new PacketParseException("text packet received while " + missing + " attachment(s) are awaited");
        }
        if (message == null || message.isEmpty()) {
            throw new PacketParseException("empty packet");
        }
        int length = message.length();
        char first = message.charAt(0);
        if (!isDigit(first)) {
            throw new PacketParseException("unknown packet type '" + first + "'");
        }
        PacketType type = PacketType.fromCode(first - '0');
        int i = 1;

        int attachments = 0;
        if (type.isBinary()) {
            int start = i;
            i = skipDigits(message, i);
            if (i == start) {
                throw new PacketParseException("missing attachment count for " + type);
            }
            if (i == length || message.charAt(i) != '-') {
                throw new PacketParseException("attachment count not followed by '-'");
            }
            if (i - start > MAX_COUNT_DIGITS) {
                throw tooManyAttachments(message.substring(start, i));
            }
            attachments = Integer.parseInt(message, start, i, 10);
            if (attachments > maxAttachments) {
                throw tooManyAttachments(Integer.toString(attachments));
            }
            i++;
        }

        String namespace = Packet.MAIN_NAMESPACE;
        if (i < length && message.charAt(i) == '/') {
            // The namespace runs to a ',' or to the end of the packet: "40/admin" is a whole CONNECT, as in Node.
            int comma = message.indexOf(',', i);
            int end = comma < 0 ? length : comma;
            namespace = message.substring(i, end);
            i = comma < 0 ? length : comma + 1;
        }

        long id = Packet.NO_ID;
        if (i < length && isDigit(message.charAt(i))) {
            int start = i;
            i = skipDigits(message, i);
            if (i - start > MAX_ID_DIGITS) {
                throw new PacketParseException("ack id longer than " + MAX_ID_DIGITS + " digits");
            }
            if (i < length && message.charAt(i) == '-' && !type.isBinary()) {
                throw new PacketParseException("attachment count on non-binary packet type " + type);
            }
            id = Long.parseLong(message, start, i, 10);
        }

        JsonNode data = i < length ? parseJson(message.substring(i)) : null;
        PayloadRules.check(type, data);

        if (!type.isBinary()) {
            return new Packet(type, namespace, id, data);
        }
        Pending packet = new Pending(type, namespace, id, data, attachments);
        if (attachments == 0) {
            return packet.complete();
        }
        pending = packet;
        return null;
    }

    /**
     * Decodes one Engine.IO binary message: the next attachment of the awaited packet.
     *
     * @param attachment the message's bytes, kept (not copied) in the packet's data
     * @return the completed packet when this was its last attachment, otherwise {@code null}
     * @throws PacketParseException if no attachment is awaited, or a placeholder of the completed
     *                              packet refers to no attachment
     */
    @Override
    public Packet decodeBinary(byte[] attachment) throws PacketParseException {
        Objects.requireNonNull(attachment, "attachment");
        Pending packet = pending;
        if (packet == null) {
            throw new PacketParseException("binary message received while no attachment is awaited");
        }
        packet.bytes += attachment.length;
        if (packet.bytes > maxAttachmentBytes) {
            pending = null;
            throw new PacketParseException("attachments of one packet exceed " + maxAttachmentBytes + " bytes");
        }
        packet.received.add(attachment);
        if (packet.received.size() < packet.expected) {
            return null;
        }
        pending = null;
        return packet.complete();
    }

    /**
     * Whether a binary packet has been announced and not all its attachments have arrived.
     *
     * @return {@code true} while the next message must be a binary one
     */
    public boolean awaitingAttachments() {
        return pending != null;
    }

    /** Drops a partially received binary packet, e.g. when the connection closes. */
    @Override
    public void reset() {
        pending = null;
    }

    private JsonNode parseJson(String json) throws PacketParseException {
        JsonNode node;
        try {
            node = reader.readTree(json);
        } catch (JsonProcessingException e) {
            throw new PacketParseException("invalid JSON payload: " + abbreviate(e.getOriginalMessage()), e);
        } catch (RuntimeException e) {
            // Not expected from an in-memory string, but the contract is one exception type.
            throw new PacketParseException("invalid JSON payload", e);
        }
        if (node == null || node.isMissingNode()) {
            throw new PacketParseException("invalid JSON payload: no value");
        }
        return node;
    }

    // Jackson's message may quote a client-chosen token; bound what reaches the logs.
    private static String abbreviate(String message) {
        return message == null || message.length() <= MAX_DETAIL_CHARS
                ? message : message.substring(0, MAX_DETAIL_CHARS) + "…";
    }

    private PacketParseException tooManyAttachments(String count) {
        return new PacketParseException("too many attachments: " + count + " > " + maxAttachments);
    }

    private static int skipDigits(String s, int i) {
        while (i < s.length() && isDigit(s.charAt(i))) {
            i++;
        }
        return i;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** A binary packet whose text part has been read. */
    private static final class Pending {
        final PacketType type;
        final String namespace;
        final long id;
        final JsonNode data;
        final int expected;
        final List<byte[]> received;
        long bytes;

        Pending(PacketType type, String namespace, long id, JsonNode data, int expected) {
            this.type = type;
            this.namespace = namespace;
            this.id = id;
            this.data = data;
            this.expected = expected;
            this.received = new ArrayList<>(expected);
        }

        Packet complete() throws PacketParseException {
            return new Packet(type, namespace, id, PlaceholderResolver.resolve(data, received));
        }
    }
}
