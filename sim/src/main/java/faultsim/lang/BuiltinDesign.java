package faultsim.lang;

/**
 * A design shipped inside the simulator, as {@code faultsim designs} lists it.
 *
 * @param name the name to load it by
 * @param description the first comment line after its header
 */
public record BuiltinDesign(String name, String description) {}
