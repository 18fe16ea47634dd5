package io.hibiki.socketio.parser;

import com.fasterxml.jackson.core.Base64Variant;
import com.fasterxml.jackson.core.JsonGenerationException;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.JsonGeneratorDelegate;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A JSON generator that writes a Socket.IO placeholder where Jackson would write base64.
 *
 * <p>Every binary value Jackson serialises ({@code byte[]}, {@code ByteBuffer}, {@code BinaryNode},
 * binary fields of records and beans) ends in {@code writeBinary}, so intercepting it here finds
 * binary at any depth in one streaming pass, with no tree built and no second walk. Attachments are
 * numbered in the order they are written, which is document order.
 */
final class PlaceholderGenerator extends JsonGeneratorDelegate {
    private List<byte[]> attachments = List.of();

    PlaceholderGenerator(JsonGenerator delegate) {
        // false: writeObject/writeTree must come back through this generator, not bypass it.
        super(delegate, false);
    }

    /** The binary values met so far, in placeholder order. */
    List<byte[]> attachments() {
        return attachments;
    }

    @Override
    public void writeBinary(Base64Variant variant, byte[] data, int offset, int len) throws IOException {
        // Sharing the caller's array avoids a copy per broadcast; only a slice needs its own array.
        byte[] bytes = offset == 0 && len == data.length ? data : Arrays.copyOfRange(data, offset, offset + len);
        writePlaceholder(bytes);
    }

    @Override
    public int writeBinary(Base64Variant variant, InputStream data, int dataLength) throws IOException {
        byte[] bytes = dataLength < 0 ? data.readAllBytes() : data.readNBytes(dataLength);
        if (dataLength >= 0 && bytes.length < dataLength) {
            throw new JsonGenerationException(
                    "binary stream ended after " + bytes.length + " of " + dataLength + " bytes", this);
        }
        writePlaceholder(bytes);
        return bytes.length;
    }

    @Override
    public void writeEmbeddedObject(Object object) throws IOException {
        // Token buffers replay binary as an embedded byte[]; it must become an attachment too.
        if (object instanceof byte[] bytes) {
            writeBinary(bytes);
        } else {
            super.writeEmbeddedObject(object);
        }
    }

    private void writePlaceholder(byte[] bytes) throws IOException {
        if (attachments.isEmpty()) {
            attachments = new ArrayList<>(2);
        }
        int num = attachments.size();
        attachments.add(bytes);
        delegate.writeStartObject();
        delegate.writeFieldName("_placeholder");
        delegate.writeBoolean(true);
        delegate.writeFieldName("num");
        delegate.writeNumber(num);
        delegate.writeEndObject();
    }
}
