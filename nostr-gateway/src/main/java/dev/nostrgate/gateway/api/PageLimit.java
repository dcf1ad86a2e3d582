package dev.nostrgate.gateway.api;

/** The {@code limit} parameter of the API's paged listings: how many items a page holds. */
final class PageLimit {
    private PageLimit() {
    }

    /**
     * Reads a limit from 1 to {@code max}.
     *
     * @param range how to say the range in the error ("an integer from 1 to 500 (gateway.database.max-limit)")
     * @throws InvalidRequestException (field {@code limit}) if it is not one
     */
    static int parse(String text, int max, String range) {
        String value = text.strip();
        if (!value.matches("\\d{1,9}") || Integer.parseInt(value) < 1 || Integer.parseInt(value) > max) {
            throw new InvalidRequestException("limit", "limit must be " + range + ", was \""
                    + RelayStatsController.shorten(value) + "\"");
        }
        return Integer.parseInt(value);
    }
}
