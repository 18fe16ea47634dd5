package io.hibiki.chat;

import io.hibiki.chat.account.Accounts;
import io.hibiki.chat.store.AccountStore;
import io.hibiki.chat.store.ChatMessage;
import io.hibiki.chat.store.MessageStore;
import io.hibiki.socketio.SocketIoServer;
import java.util.Map;
import java.util.Optional;

/**
 * What admins do to people and messages: delete any message, suspend an account (its sessions end and its
 * connections close on every instance; it cannot sign in until reinstated). Admin rights are read from the
 * database at each request, so a change applies at once on every instance.
 */
final class Moderation {

    private final SocketIoServer io;
    private final MessageStore messages;
    private final AccountStore accountStore;
    private final Accounts accounts;
    private final RoomManagement management;

    Moderation(SocketIoServer io, MessageStore messages, AccountStore accountStore, Accounts accounts,
               RoomManagement management) {
        this.io = io;
        this.messages = messages;
        this.accountStore = accountStore;
        this.accounts = accounts;
        this.management = management;
    }

    /** Deletes a message: the user's own, or any when the user is an admin. */
    ChatMessage deleteMessage(ChatUser user, long id) throws Exception {
        Optional<ChatMessage> own = messages.delete(id, user.userId());
        if (own.isEmpty() && management.isAdmin(user)) {
            own = messages.delete(id, null);
        }
        ChatMessage m = own.orElseThrow(() -> new ChatError("not_found", "no such message of yours"));
        io.to(m.room()).emit("message-deleted", Map.of("id", m.id(), "room", m.room()));
        return m;
    }

    /** Suspends or reinstates an account (admins only; not their own). */
    void suspend(ChatUser user, String userId, boolean suspended) throws Exception {
        management.requireAdmin(user);
        if (userId == null || userId.equals(user.userId())) {
            throw new ChatError("invalid_user", "admins cannot suspend themselves");
        }
        if (!accountStore.setSuspended(userId, suspended)) {
            throw new ChatError("invalid_user", "no such account");
        }
        if (suspended) {
            accounts.endOtherSessions(userId, null);
        }
    }
}
