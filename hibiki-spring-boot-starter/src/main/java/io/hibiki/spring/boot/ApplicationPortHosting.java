package io.hibiki.spring.boot;

/** How Socket.IO is served on the application's own port, when it is (WebFlux on Reactor Netty, or a servlet). */
interface ApplicationPortHosting {

    /** False when Socket.IO has a port of its own ({@code hibiki.socketio.port}). */
    boolean active();
}
