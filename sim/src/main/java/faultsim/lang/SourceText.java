package faultsim.lang;

/**
 * The full text of one design file of an extends chain, for the results manifest.
 *
 * @param design the design's name from its header
 * @param file {@code builtin:NAME} or the file's path
 * @param text the file's text, exactly as read
 */
public record SourceText(String design, String file, String text) {}
