package dev.nostrgate.core.event;

/**
 * The event kinds this code base treats specially, named once. Which kinds are replaceable, ephemeral or
 * addressable is a range rule, kept in {@link KindCategory}.
 */
public final class Kinds {
    /** NIP-01 profile metadata (replaceable). */
    public static final int METADATA = 0;
    /** NIP-01 short text note. */
    public static final int TEXT_NOTE = 1;
    /** NIP-02 follow list (replaceable). */
    public static final int CONTACTS = 3;
    /** NIP-09 deletion request: its {@code e} and {@code a} tags name the author's events to delete. */
    public static final int DELETION = 5;
    /** NIP-25 reaction. */
    public static final int REACTION = 7;
    /**
     * NIP-62 request to vanish: its author asks the relays its {@code relay} tags name (or {@code ALL_RELAYS}) to
     * delete every event of theirs up to its {@code created_at}, and to take none of them again.
     */
    public static final int REQUEST_TO_VANISH = 62;
    /** NIP-59 gift wrap: its recipient (the {@code p} tag) may delete it too, not only its (throwaway) author. */
    public static final int GIFT_WRAP = 1059;
    /** NIP-42 client authentication: sent with {@code AUTH}, never published or stored. */
    public static final int CLIENT_AUTH = 22_242;
    /** NIP-23 long-form article (addressable). */
    public static final int LONG_FORM_ARTICLE = 30_023;
    /** NIP-23 long-form draft (addressable). */
    public static final int LONG_FORM_DRAFT = 30_024;

    private Kinds() {
    }
}
