package io.hibiki.spring.sample;

import io.hibiki.socketio.RemoteSocket;
import io.hibiki.socketio.Socket;
import io.hibiki.socketio.SocketIoServer;
import io.hibiki.spring.boot.annotation.OnEvent;
import io.hibiki.spring.boot.annotation.SocketIoController;
import java.util.List;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** The room chat on Socket.IO, and a REST API beside it, on one port. */
@SpringBootApplication
public class SampleApplication {

    public static void main(String[] args) {
        SpringApplication.run(SampleApplication.class, args);
    }

    record RoomMessage(String room, String message) { }

    record ChatMessage(String from, String message) { }

    @SocketIoController
    static class RoomChat {
        private final SocketIoServer io;

        RoomChat(SocketIoServer io) {
            this.io = io;
        }

        @OnEvent("join-room")
        String join(Socket socket, String room) {
            socket.join(room);
            io.to(room).emit("user-joined", "User " + socket.id() + " has joined the room.");
            return room;
        }

        @OnEvent("send-message-to-room")
        void send(Socket socket, RoomMessage msg) {
            io.to(msg.room()).emit("receive-message", new ChatMessage(socket.id(), msg.message()));
        }
    }

    @RestController
    static class RoomApi {
        private final SocketIoServer io;

        RoomApi(SocketIoServer io) {
            this.io = io;
        }

        /** Who is in a room, on every instance of the cluster. */
        @GetMapping("/api/rooms/{room}/members")
        Mono<List<String>> members(@PathVariable String room) {
            return Mono.fromFuture(io.in(room).fetchSockets()).map(l -> l.stream().map(RemoteSocket::id).toList());
        }

        /** A message to a room from outside Socket.IO. */
        @PostMapping("/api/rooms/{room}/messages")
        Mono<Void> announce(@PathVariable String room, @RequestBody String message) {
            io.to(room).emit("receive-message", new ChatMessage("server", message));
            return Mono.empty();
        }
    }
}
