package io.hibiki.spring.boot;

import com.fasterxml.jackson.databind.JsonNode;
import java.lang.reflect.Type;

/**
 * Turns event arguments into a handler's parameter types and its return values into what Hibiki sends, with the
 * application's own JSON mapper (Jackson 3 under Spring Boot 4 by default, or Jackson 2).
 */
interface PayloadBinder {

    /** The argument as {@code type}; {@code null} for a missing one. */
    Object bind(JsonNode value, Type type);

    /** A handler's return value as Hibiki should send it: JSON-able with Hibiki's mapper, binary kept binary. */
    Object toWire(Object value);
}
