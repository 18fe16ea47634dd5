package io.hibiki.socketio.parser;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BinaryNode;

import java.util.List;
import java.util.Map;

/** Replaces the {@code {"_placeholder":true,"num":N}} objects of a decoded tree by their attachments. */
final class PlaceholderResolver {

    private PlaceholderResolver() {
    }

    /**
     * Resolves every placeholder in {@code node}, in place where the tree allows it.
     *
     * <p>Recursion depth is bounded by Jackson's parser nesting limit, which the tree passed already.
     *
     * @return {@code node}, or the {@link BinaryNode} replacing it when {@code node} is a placeholder
     * @throws PacketParseException if a placeholder's {@code num} is not an index into {@code attachments}
     */
    static JsonNode resolve(JsonNode node, List<byte[]> attachments) throws PacketParseException {
        if (node.isArray()) {
            ArrayNode array = (ArrayNode) node;
            for (int i = 0; i < array.size(); i++) {
                JsonNode child = array.get(i);
                JsonNode resolved = resolve(child, attachments);
                if (resolved != child) {
                    array.set(i, resolved);
                }
            }
        } else if (node.isObject()) {
            if (isPlaceholder(node)) {
                return BinaryNode.valueOf(attachments.get(index(node, attachments.size())));
            }
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                JsonNode child = field.getValue();
                JsonNode resolved = resolve(child, attachments);
                if (resolved != child) {
                    // Replacing a value is not a structural change, so the iteration stays valid.
                    field.setValue(resolved);
                }
            }
        }
        return node;
    }

    // Same test as socket.io-parser: the flag decides, other fields are ignored.
    private static boolean isPlaceholder(JsonNode object) {
        JsonNode flag = object.get("_placeholder");
        return flag != null && flag.isBoolean() && flag.booleanValue();
    }

    private static int index(JsonNode placeholder, int attachmentCount) throws PacketParseException {
        JsonNode num = placeholder.get("num");
        if (num == null || !num.isIntegralNumber() || !num.canConvertToInt()) {
            throw new PacketParseException("placeholder without an integer \"num\"");
        }
        int index = num.intValue();
        if (index < 0 || index >= attachmentCount) {
            throw new PacketParseException(
                    "placeholder num " + index + " out of range for " + attachmentCount + " attachment(s)");
        }
        return index;
    }
}
