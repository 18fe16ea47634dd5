package io.hibiki.spring.boot;

import io.hibiki.socketio.Namespace;
import io.hibiki.socketio.Socket;
import io.hibiki.socketio.SocketIoServer;
import io.hibiki.spring.boot.annotation.OnConnect;
import io.hibiki.spring.boot.annotation.OnDisconnect;
import io.hibiki.spring.boot.annotation.OnEvent;
import io.hibiki.spring.boot.annotation.SocketIoController;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.aop.support.AopUtils;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.ReflectionUtils;

/** Binds the {@link SocketIoController} beans' annotated methods to their namespaces. */
final class SocketIoControllers {

    private static final Logger log = LoggerFactory.getLogger(SocketIoControllers.class);

    private SocketIoControllers() {
    }

    static void bind(SocketIoServer server, Map<String, Object> controllers, PayloadBinder binder) {
        for (Object bean : controllers.values()) {
            Class<?> type = AopUtils.getTargetClass(bean);
            SocketIoController annotation = AnnotatedElementUtils.findMergedAnnotation(type, SocketIoController.class);
            if (annotation == null) {
                continue;
            }
            List<ControllerMethod> connects = new ArrayList<>();
            List<ControllerMethod> disconnects = new ArrayList<>();
            Map<String, ControllerMethod> events = new LinkedHashMap<>();
            for (Method m : ReflectionUtils.getUniqueDeclaredMethods(type, ReflectionUtils.USER_DECLARED_METHODS)) {
                // Call through the bean (a proxy, for transactions or security), with the target class's method.
                Method callable = AopUtils.selectInvocableMethod(m, bean.getClass());
                if (AnnotatedElementUtils.hasAnnotation(m, OnConnect.class)) {
                    connects.add(lifecycle(bean, callable, binder, "@OnConnect"));
                }
                if (AnnotatedElementUtils.hasAnnotation(m, OnDisconnect.class)) {
                    disconnects.add(lifecycle(bean, callable, binder, "@OnDisconnect"));
                }
                OnEvent onEvent = AnnotatedElementUtils.findMergedAnnotation(m, OnEvent.class);
                if (onEvent != null) {
                    ControllerMethod previous = events.put(onEvent.value(), new ControllerMethod(bean, callable, binder));
                    if (previous != null) {
                        throw new IllegalStateException("two @OnEvent(\"" + onEvent.value() + "\") methods in "
                                + annotation.namespace() + ": " + previous.describe() + " and " + m.getName());
                    }
                }
            }
            Namespace ns = server.of(annotation.namespace());
            ns.onConnection(socket -> onConnection(socket, connects, disconnects, events));
            log.debug("{} bound to namespace {}: events {}", type.getSimpleName(), annotation.namespace(),
                    events.keySet());
        }
    }

    private static ControllerMethod lifecycle(Object bean, Method m, PayloadBinder binder, String kind) {
        ControllerMethod cm = new ControllerMethod(bean, m, binder);
        if (cm.takesPayload()) {
            throw new IllegalStateException(kind + " " + cm.describe()
                    + " may take only a Socket and (for @OnDisconnect) a DisconnectReason");
        }
        return cm;
    }

    private static void onConnection(Socket socket, List<ControllerMethod> connects,
                                     List<ControllerMethod> disconnects, Map<String, ControllerMethod> events) {
        // Listeners first: a client may emit as soon as it is told it is connected.
        events.forEach((name, method) -> socket.on(name, (args, ack) -> method.onEvent(socket, args, ack)));
        if (!disconnects.isEmpty()) {
            socket.onDisconnect(reason -> {
                for (ControllerMethod m : disconnects) {
                    try {
                        m.onLifecycle(socket, reason);
                    } catch (Throwable e) {
                        log.warn("{} failed", m.describe(), e);
                    }
                }
            });
        }
        for (ControllerMethod m : connects) {
            try {
                m.onLifecycle(socket, null);
            } catch (Throwable e) {
                log.warn("{} failed; disconnecting socket {}", m.describe(), socket.id(), e);
                socket.disconnect(false);
                return;
            }
        }
    }
}
