package io.hibiki.socketio;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;

/**
 * The arguments of an inbound event or acknowledgement: JSON values, with binary attachments as binary nodes.
 * Typed getters bind them to Java types with the server's Jackson mapper.
 */
public final class Args {

    private final List<JsonNode> values;
    private final ObjectMapper mapper;

    Args(List<JsonNode> values, ObjectMapper mapper) {
        this.values = List.copyOf(values);
        this.mapper = mapper;
    }

    /**
     * The number of arguments.
     *
     * @return how many values the client sent after the event name (or in the ack)
     */
    public int size() {
        return values.size();
    }

    /**
     * Whether there are no arguments.
     *
     * @return {@code true} when the client sent none
     */
    public boolean isEmpty() {
        return values.isEmpty();
    }

    /**
     * The raw JSON value at {@code index}, or {@code null} past the end.
     *
     * @param index the zero-based position of the argument
     * @return the JSON node (a binary node for an attachment), or {@code null} when there is no such argument
     */
    public JsonNode get(int index) {
        return index < values.size() ? values.get(index) : null;
    }

    /**
     * The value at {@code index} bound to {@code type} (records, maps, {@code String}, {@code byte[]}, …).
     *
     * @param <T>   the type to bind to
     * @param index the zero-based position of the argument
     * @param type  the class to bind the value to with the server's Jackson mapper
     * @return the bound value, or {@code null} when there is no such argument (or Jackson binds it to null)
     * @throws ArgumentTypeException when it does not fit the type (the client sent something else; a listener that
     *                               lets it propagate has the event dropped with a debug log, not an error)
     */
    public <T> T get(int index, Class<T> type) {
        JsonNode node = get(index);
        if (node == null) {
            return null;
        }
        try {
            return mapper.treeToValue(node, type);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new ArgumentTypeException("argument " + index + " is not a " + type.getSimpleName() + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * The string at {@code index}, or {@code null} when it is absent or not a string.
     *
     * @param index the zero-based position of the argument
     * @return the string value; a number or other non-string is not converted
     */
    public String getString(int index) {
        JsonNode node = get(index);
        return node != null && node.isTextual() ? node.textValue() : null;
    }

    /**
     * The binary attachment at {@code index}, or {@code null} when it is absent or not binary.
     *
     * @param index the zero-based position of the argument
     * @return the attachment's bytes
     */
    public byte[] getBytes(int index) {
        JsonNode node = get(index);
        try {
            return node != null && node.isBinary() ? node.binaryValue() : null;
        } catch (java.io.IOException e) {
            return null;
        }
    }

    /**
     * All values, as a list usable as emit arguments (binary stays binary).
     *
     * @return an unmodifiable list of the arguments in order
     */
    public List<JsonNode> values() {
        return values;
    }

    @Override
    public String toString() {
        return values.toString();
    }

    /** A client's argument does not bind to the type a listener asked for: the client's mistake, not the server's. */
    public static final class ArgumentTypeException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        ArgumentTypeException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
