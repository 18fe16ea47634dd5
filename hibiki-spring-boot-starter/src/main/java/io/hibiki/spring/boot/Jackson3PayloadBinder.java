package io.hibiki.spring.boot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Type;

/**
 * Binding with the application's Jackson 3 {@code JsonMapper} (Spring Boot 4's default), so its naming strategy,
 * modules and features apply to handlers' parameters and return values. Hibiki reads and writes the wire with its
 * own Jackson 2 mapper; the two meet here as JSON bytes, once per bound argument and per returned value.
 */
final class Jackson3PayloadBinder implements PayloadBinder {

    private final tools.jackson.databind.ObjectMapper application;
    private final ObjectMapper wire;

    Jackson3PayloadBinder(tools.jackson.databind.ObjectMapper application, ObjectMapper wire) {
        this.application = application;
        this.wire = wire;
    }

    @Override
    public Object bind(JsonNode value, Type type) {
        if (value == null || value.isMissingNode()) {
            return null;
        }
        try {
            if (type == byte[].class && value.isBinary()) {
                return value.binaryValue();
            }
            if (type == JsonNode.class) {
                return value;
            }
            if (type == String.class && value.isTextual()) {
                return value.textValue();
            }
            return application.readValue(wire.writeValueAsBytes(value), application.constructType(type));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public Object toWire(Object value) {
        if (value == null || value instanceof String || value instanceof Number || value instanceof Boolean
                || value instanceof byte[] || value instanceof JsonNode) {
            return value;
        }
        try {
            return wire.readTree(application.writeValueAsBytes(value));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
