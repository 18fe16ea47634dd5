package io.hibiki.spring.boot;

import io.hibiki.socketio.Ack;
import io.hibiki.socketio.Args;
import io.hibiki.socketio.DisconnectReason;
import io.hibiki.socketio.Socket;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One annotated handler method of a {@link io.hibiki.spring.boot.annotation.SocketIoController}: how each of its
 * parameters is filled, and what becomes of its return value. Worked out once, when the application starts.
 */
final class ControllerMethod {

    private static final Logger log = LoggerFactory.getLogger(ControllerMethod.class);

    private enum Source { SOCKET, ACK, ARGS, REASON, PAYLOAD }

    private final Object bean;
    private final Method method;
    private final Source[] sources;
    /** For each PAYLOAD parameter, which event argument it takes; -1 elsewhere. */
    private final int[] argIndex;
    private final Type[] types;
    /** Parameters that cannot take a missing argument (null). */
    private final boolean[] primitive;
    private final boolean takesAck;
    private final PayloadBinder binder;

    ControllerMethod(Object bean, Method method, PayloadBinder binder) {
        this.bean = bean;
        this.method = method;
        this.binder = binder;
        method.setAccessible(true);
        Class<?>[] params = method.getParameterTypes();
        this.types = method.getGenericParameterTypes();
        this.sources = new Source[params.length];
        this.argIndex = new int[params.length];
        this.primitive = new boolean[params.length];
        int next = 0;
        boolean ack = false;
        for (int i = 0; i < params.length; i++) {
            argIndex[i] = -1;
            primitive[i] = params[i].isPrimitive();
            if (params[i] == Socket.class) {
                sources[i] = Source.SOCKET;
            } else if (params[i] == Ack.class) {
                sources[i] = Source.ACK;
                ack = true;
            } else if (params[i] == Args.class) {
                sources[i] = Source.ARGS;
            } else if (params[i] == DisconnectReason.class) {
                sources[i] = Source.REASON;
            } else {
                sources[i] = Source.PAYLOAD;
                argIndex[i] = next++;
            }
        }
        this.takesAck = ack;
    }

    /** Whether any parameter is an event argument (connect and disconnect handlers may have none). */
    boolean takesPayload() {
        for (Source s : sources) {
            if (s == Source.PAYLOAD) {
                return true;
            }
        }
        return false;
    }

    String describe() {
        return bean.getClass().getSimpleName() + "." + method.getName();
    }

    /** Runs the method for an event and answers the client's ack, if it asked for one, from the outcome. */
    void onEvent(Socket socket, Args args, Ack ack) {
        Object result;
        try {
            result = invoke(socket, args, ack, null);
        } catch (Throwable e) {
            fail(ack, e);
            return;
        }
        if (takesAck || !ack.requested()) {
            return;
        }
        if (result instanceof CompletionStage<?> stage) {
            stage.whenComplete((value, error) -> {
                if (error != null) {
                    fail(ack, error);
                } else {
                    answer(ack, value);
                }
            });
        } else {
            answer(ack, result);
        }
    }

    /** Runs a connect or disconnect handler. */
    void onLifecycle(Socket socket, DisconnectReason reason) throws Throwable {
        invoke(socket, null, Ack.NONE, reason);
    }

    private Object invoke(Socket socket, Args args, Ack ack, DisconnectReason reason) throws Throwable {
        Object[] values = new Object[sources.length];
        for (int i = 0; i < sources.length; i++) {
            values[i] = switch (sources[i]) {
                case SOCKET -> socket;
                case ACK -> ack;
                case ARGS -> args;
                case REASON -> reason;
                case PAYLOAD -> args == null ? null : bind(args, i);
            };
        }
        try {
            return method.invoke(bean, values);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private Object bind(Args args, int parameter) {
        Object value = binder.bind(args.get(argIndex[parameter]), types[parameter]);
        if (value == null && primitive[parameter]) {
            throw new IllegalArgumentException("argument " + argIndex[parameter] + " is missing");
        }
        return value;
    }

    private void answer(Ack ack, Object value) {
        if (method.getReturnType() == void.class) {
            ack.send();
            return;
        }
        try {
            ack.send(binder.toWire(value));
        } catch (RuntimeException e) {
            fail(ack, e);
        }
    }

    private void fail(Ack ack, Throwable error) {
        if (error instanceof java.util.concurrent.CompletionException && error.getCause() != null) {
            error = error.getCause();
        }
        if (error instanceof Error e) {
            throw e;
        }
        String message = error.getMessage() != null ? error.getMessage() : error.getClass().getSimpleName();
        if (ack.requested()) {
            log.debug("{} failed; answering the client's ack with the error", describe(), error);
            ack.send(java.util.Map.of("error", message));
        } else {
            log.warn("{} failed", describe(), error);
        }
    }
}
