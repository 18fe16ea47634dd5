package io.hibiki.chat;

import io.hibiki.chat.store.MessageStore;

/** The services the chat's socket events use, built once per server. */
record ChatServices(MessageStore store, Membership membership, Messages messages, Reactions reactions,
                    RoomManagement rooms,
                    Directory directory, Moderation moderation, MessageSearch search, String storeId) {
}
