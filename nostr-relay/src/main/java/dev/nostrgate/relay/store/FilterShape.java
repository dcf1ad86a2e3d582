package dev.nostrgate.relay.store;

/**
 * Everything a filter's SQL text depends on and nothing it binds: the key under which {@link FilterSql} keeps the
 * statement jOOQ rendered. Two filters of one shape differ only in the values bound to the same parameters.
 *
 * @param driver   the field whose index drives the scan ({@link Driver#ALL} in a COUNT, which has no order)
 * @param branches how the driver's values are scanned: 1 for a single value, 2 to {@link FilterSql#MAX_BRANCHES}
 *                 for one ordered branch per value, 0 for one {@code = ANY} scan of all of them
 * @param ids      an {@code ids} condition (the driver, or a COUNT's condition)
 * @param authors  an {@code authors} condition beside the driver
 * @param kinds    a {@code kinds} condition beside the driver
 * @param tags     the number of tag conditions beside the driver (EXISTS probes)
 * @param since    a lower time bound
 * @param until    an upper time bound
 */
record FilterShape(Driver driver, int branches, boolean ids, boolean authors, boolean kinds, int tags,
                   boolean since, boolean until) {
    /** The field that drives the scan, in the order {@link FilterSql} prefers them. */
    enum Driver { IDS, TAG, AUTHORS, KINDS, TIME, ALL }
}
