package io.hibiki.spring.boot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.lang.reflect.Type;

/**
 * Binding with a Jackson 2 mapper: the server's own, which is a copy of the application's Jackson 2
 * {@code ObjectMapper} when it has one; return values go out as they are, written by that same mapper.
 */
final class Jackson2PayloadBinder implements PayloadBinder {

    private final ObjectMapper mapper;

    Jackson2PayloadBinder(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    @Override
    public Object bind(JsonNode value, Type type) {
        if (value == null || value.isMissingNode()) {
            return null;
        }
        if (type == byte[].class && value.isBinary()) {
            try {
                return value.binaryValue();
            } catch (IOException e) {
                throw new IllegalArgumentException(e);
            }
        }
        if (type == JsonNode.class) {
            return value;
        }
        return mapper.convertValue(value, mapper.constructType(type));
    }

    @Override
    public Object toWire(Object value) {
        return value;
    }
}
