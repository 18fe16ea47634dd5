package io.hibiki.chat.account;

/**
 * A signed-up user.
 *
 * @param userId      the user id everything else (rooms, messages, reads) is keyed by; {@link AccountIds} form
 * @param handle      unique handle, as the user typed it (NFKC)
 * @param displayName the name shown for them, which they may change
 * @param admin       whether they may moderate
 * @param suspended   whether an admin has suspended them (they cannot sign in)
 */
public record Account(String userId, String handle, String displayName, boolean admin, boolean suspended) {
}
