package io.hibiki.chat;

import java.util.regex.Pattern;

/** Room names users may use, and the names the chat reserves for itself. */
final class Rooms {

    private static final Pattern NAME = Pattern.compile("[\\p{L}\\p{N} _.-]{1,64}");
    /**
     * The shape of a Socket.IO socket id (20 characters of base64url): every socket is alone in the room named by
     * its id, on whichever instance it is, so a chat room of that name would let its members push into a
     * stranger's socket. No check against the sockets connected now can see every instance, so the shape is
     * reserved.
     */
    private static final Pattern SOCKET_ID = Pattern.compile("[A-Za-z0-9_-]{20}");

    private Rooms() {
    }

    /** A user-chosen room name, trimmed, or an error. */
    static String checkName(String room) throws ChatError {
        if (room == null) {
            throw new ChatError("invalid_room", "room name missing");
        }
        String r = java.text.Normalizer.normalize(room, java.text.Normalizer.Form.NFKC).strip();
        if (!NAME.matcher(r).matches()) {
            throw new ChatError("invalid_room", "room names are 1-64 letters, digits, spaces, '_', '.' or '-'");
        }
        if (SOCKET_ID.matcher(r).matches()) {
            throw new ChatError("invalid_room", "names of exactly 20 letters, digits, '_' or '-' are reserved");
        }
        return r;
    }

    /** The room holding every connection of one user (tabs, devices). */
    static String ofUser(String userId) {
        return "user:" + userId;
    }

    /** The room holding the connections of one sign-in session (closed together when it ends). */
    static String ofSession(String sessionId) {
        return "session:" + sessionId;
    }

    /** The two-person room of a direct conversation: the same name whoever starts it. */
    static String direct(String a, String b) {
        return a.compareTo(b) < 0 ? "dm:" + a + ":" + b : "dm:" + b + ":" + a;
    }

    /** The other user of a direct room (the user themself for a room with no other). */
    static String peerOf(String directRoom, String userId) {
        String[] ids = directRoom.substring(3).split(":", 2);
        return ids[0].equals(userId) ? ids[1] : ids[0];
    }

    static boolean isDirect(String room) {
        return room.startsWith("dm:");
    }

    /** A small group conversation: members only, never listed, named by the server. */
    static boolean isGroup(String room) {
        return room.startsWith("group:");
    }

    /** A direct or group conversation (a name the server made, not one a user chose). */
    static boolean isConversation(String room) {
        return isDirect(room) || isGroup(room);
    }

    /** A new group conversation's name. */
    static String newGroup() {
        byte[] b = new byte[12];
        new java.security.SecureRandom().nextBytes(b);
        return "group:" + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
