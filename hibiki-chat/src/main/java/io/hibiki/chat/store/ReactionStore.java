package io.hibiki.chat.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/** Who reacted to which message with which emoji. Blocking: call it from worker threads. */
public final class ReactionStore {

    /** Ids per query when reading the reactions of a page of messages. */
    private static final int BATCH = 200;

    private final DataSource ds;

    public ReactionStore(DataSource ds) {
        this.ds = ds;
    }

    /** One person's reaction, with the name they have now. */
    public record Reaction(String emoji, String userId, String nickname) {
    }

    /** Adds ({@code on}) or removes a reaction; false when there was nothing to change. */
    public boolean set(long messageId, String userId, String emoji, boolean on, long now) throws SQLException {
        if (on) {
            return InsertIfAbsent.run(ds, "INSERT INTO reactions (message_id, user_id, emoji, created_at) "
                    + "VALUES (?, ?, ?, ?)", ps -> {
                        ps.setLong(1, messageId);
                        ps.setString(2, userId);
                        ps.setString(3, emoji);
                        ps.setLong(4, now);
                    });
        }
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "DELETE FROM reactions WHERE message_id = ? AND user_id = ? AND emoji = ?")) {
            ps.setLong(1, messageId);
            ps.setString(2, userId);
            ps.setString(3, emoji);
            return ps.executeUpdate() > 0;
        }
    }

    /** The reactions of these messages, each message's in the order they were made. */
    public Map<Long, List<Reaction>> of(Collection<Long> messageIds) throws SQLException {
        Map<Long, List<Reaction>> out = new HashMap<>();
        List<Long> ids = new ArrayList<>(messageIds);
        try (Connection c = ds.getConnection()) {
            for (int from = 0; from < ids.size(); from += BATCH) {
                List<Long> batch = ids.subList(from, Math.min(ids.size(), from + BATCH));
                String marks = String.join(", ", java.util.Collections.nCopies(batch.size(), "?"));
                try (PreparedStatement ps = c.prepareStatement("SELECT r.message_id, r.emoji, r.user_id, "
                        + "COALESCE(u.nickname, r.user_id) FROM reactions r LEFT JOIN users u ON u.user_id = r.user_id "
                        + "WHERE r.message_id IN (" + marks + ") ORDER BY r.message_id, r.created_at, r.user_id")) {
                    for (int i = 0; i < batch.size(); i++) {
                        ps.setLong(i + 1, batch.get(i));
                    }
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            out.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>())
                                    .add(new Reaction(rs.getString(2), rs.getString(3), rs.getString(4)));
                        }
                    }
                }
            }
        }
        return out;
    }
}
