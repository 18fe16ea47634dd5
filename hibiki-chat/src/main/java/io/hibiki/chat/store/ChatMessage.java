package io.hibiki.chat.store;

/**
 * A stored chat message. {@code text} keeps the seed's field name; {@code author} is the server-side nickname
 * of the sender, never taken from a payload.
 *
 * @param id         server id: unique in the store, never reused, growing with time within a room
 * @param seq        the message's number in its room: 1, 2, 3 … without holes
 * @param room       the room it was sent to
 * @param clientId   the sender's id for this message (retries reuse it), or null
 * @param author     the sender's nickname
 * @param userId     the sender's stable user id
 * @param text       the message text
 * @param attachment an uploaded file's URL, or null
 * @param timestamp  when the server accepted it, epoch milliseconds
 * @param edited     whether it was edited
 * @param deleted    whether it was deleted (text is then empty)
 * @param replyTo    the id of the message (same room) this one answers, or null
 */
public record ChatMessage(long id, long seq, String room, String clientId, String author, String userId, String text,
                          Attachment attachment, long timestamp, boolean edited, boolean deleted,
                          Long replyTo) {

    /** An uploaded file a message points to. */
    public record Attachment(String url, String name, String type, long size) {
    }
}
