package faultsim.workload;

import faultsim.fault.KernelCosts;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The table of every workload key, generated from the {@link Doc} annotations on
 * {@link WorkloadDoc}'s records: what {@code faultsim options} prints and what the README's
 * reference lists.
 */
public final class Options {
  /** One key: its dotted path ({@code <name>} for user-chosen map keys) and its description. */
  public record Option(String key, String description) {}

  /** The map of kernel costs, whose keys are {@link KernelCosts}'s, listed one by one. */
  static final String KERNEL_COSTS = "kernel.costs";

  private Options() {}

  public static List<Option> all() {
    List<Option> out = new ArrayList<>();
    walk(WorkloadDoc.class, "", out);
    return out;
  }

  private static void walk(Class<?> type, String prefix, List<Option> out) {
    for (RecordComponent c : type.getRecordComponents()) {
      String key = prefix + yamlName(c);
      Doc doc = c.getAnnotation(Doc.class);
      out.add(new Option(key, doc == null ? "" : doc.value()));
      if (key.equals(KERNEL_COSTS)) {
        for (KernelCosts.Cost cost : KernelCosts.Cost.values()) {
          out.add(new Option(key + "." + cost.key(), cost.source() + " Default "
              + Units.formatTime(cost.defaultNs()) + "."));
        }
      }
      Class<?> t = c.getType();
      if (t.isRecord()) {
        walk(t, key + ".", out);
      } else if (List.class.isAssignableFrom(t)) {
        if (c.getGenericType() instanceof ParameterizedType p
            && p.getActualTypeArguments()[0] instanceof Class<?> v && v.isRecord()) {
          walk(v, key + "[].", out);
        }
      } else if (Map.class.isAssignableFrom(t)) {
        Type g = c.getGenericType();
        if (g instanceof ParameterizedType p && p.getActualTypeArguments()[1] instanceof Class<?> v
            && v.isRecord()) {
          walk(v, key + ".<name>.", out);
        }
      }
    }
  }

  private static String yamlName(RecordComponent c) {
    var prop = c.getAccessor().getAnnotation(com.fasterxml.jackson.annotation.JsonProperty.class);
    if (prop != null) {
      return prop.value();
    }
    StringBuilder sb = new StringBuilder();
    for (char ch : c.getName().toCharArray()) {
      if (Character.isUpperCase(ch)) {
        sb.append('_').append(Character.toLowerCase(ch));
      } else {
        sb.append(ch);
      }
    }
    return sb.toString();
  }

  /** The table as text, one key per line, aligned. */
  public static String format() {
    List<Option> all = all();
    int width = all.stream().mapToInt(o -> o.key().length()).max().orElse(10);
    StringBuilder sb = new StringBuilder();
    for (Option o : all) {
      sb.append(String.format(java.util.Locale.ROOT, "%-" + width + "s  %s%n", o.key(),
          o.description()));
    }
    return sb.toString();
  }
}
