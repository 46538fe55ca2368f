package faultsim.workload;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import faultsim.locks.LockKind;
import faultsim.workload.WorkloadDoc.JobDoc;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Reads a workload file, applies {@code --set} overrides, checks it and resolves it into a
 * {@link Workload}. Every problem is reported as {@code file:line:column: message} (the first one
 * found), never as a stack trace.
 */
public final class WorkloadLoader {
  /** Lock primitives a synthetic step may use, and the lock kind each applies to. */
  static final Map<String, LockOp> LOCK_OPS = new LinkedHashMap<>();

  static {
    LOCK_OPS.put("spin_lock", new LockOp(LockKind.SPINLOCK, true, true));
    LOCK_OPS.put("spin_unlock", new LockOp(LockKind.SPINLOCK, true, false));
    LOCK_OPS.put("mutex_lock", new LockOp(LockKind.MUTEX, true, true));
    LOCK_OPS.put("mutex_unlock", new LockOp(LockKind.MUTEX, true, false));
    LOCK_OPS.put("down_read", new LockOp(LockKind.RWSEM, false, true));
    LOCK_OPS.put("up_read", new LockOp(LockKind.RWSEM, false, false));
    LOCK_OPS.put("down_write", new LockOp(LockKind.RWSEM, true, true));
    LOCK_OPS.put("up_write", new LockOp(LockKind.RWSEM, true, false));
    LOCK_OPS.put("folio_lock", new LockOp(LockKind.FOLIO, true, true));
    LOCK_OPS.put("folio_unlock", new LockOp(LockKind.FOLIO, true, false));
    LOCK_OPS.put("write_seqcount_begin", new LockOp(LockKind.SEQCOUNT, true, true));
    LOCK_OPS.put("write_seqcount_end", new LockOp(LockKind.SEQCOUNT, true, false));
  }

  record LockOp(LockKind kind, boolean write, boolean acquire) {}

  /** The device a file reads from when it names none. */
  static final String DEFAULT_DEVICE = "disk";

  static final JobDoc EMPTY_JOB = new JobDoc(null, null, null, null, null, null, null,
      null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);

  /** The largest workload file read: far above any real one, far below a heap's worth. */
  static final long MAX_FILE_BYTES = 1 << 20;

  private final YAMLMapper mapper;

  /** How the user typed an override, by its {@code key=value} text, for messages. */
  private final Map<String, String> typed = new HashMap<>();

  public WorkloadLoader() {
    mapper = YAMLMapper.builder(new YAMLFactory())
        .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
        .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
        .build();
  }

  /**
   * Says that the override {@code set} ({@code key=value}) came from the option {@code option}
   * as the user typed it (e.g. {@code --design x}), so that messages about it name that option.
   */
  public WorkloadLoader typedAs(String set, String option) {
    typed.put(set, option);
    return this;
  }

  private String option(String set) {
    return typed.getOrDefault(set, "--set " + set);
  }

  /** Where override {@code set} was given: a place in {@code places}, else its option. */
  private Diagnostic place(String set, Map<String, Diagnostic> places) {
    Diagnostic p = places.get(set);
    return p != null ? p : new Diagnostic(option(set), 0, 0, "");
  }

  /** Loads {@code file} with no overrides. */
  public Workload load(Path file) throws InputException {
    return load(file, List.of());
  }

  /**
   * Loads {@code file}, then applies {@code sets} ({@code key.path=value}, e.g.
   * {@code machine.cores=8} or {@code jobs.worker.numjobs=4}).
   */
  public Workload load(Path file, List<String> sets) throws InputException {
    String name = file.toString();
    return parse(name, TextFiles.read(file, "workload file", MAX_FILE_BYTES), sets);
  }

  /** Parses workload text; {@code fileName} is used in messages. */
  public Workload parse(String fileName, String text, List<String> sets) throws InputException {
    return parse(fileName, text, sets, Map.of(), true);
  }

  /**
   * Parses workload text with {@code sets}, those in {@code places} reported at the place
   * given there (a design entry's {@code set:} key); design entries' settings are resolved too
   * when {@code withVariants}.
   */
  private Workload parse(String fileName, String text, List<String> sets,
      Map<String, Diagnostic> places, boolean withVariants) throws InputException {
    Map<String, JsonLocation> locations = locate(fileName, text);
    WorkloadDoc doc = bind(fileName, text, locations);
    Map<String, Diagnostic> overridden = new HashMap<>();
    if (!sets.isEmpty() || doc.machine() != null && doc.machine().profile() != null) {
      doc = applySets(fileName, text, sets, overridden, places);
    }
    DesignEntries.Variants variants = !withVariants ? null : (more, where) -> {
      List<String> all = new java.util.ArrayList<>(sets);
      all.addAll(more);
      Map<String, Diagnostic> at = new HashMap<>(places);
      at.putAll(where);
      return parse(fileName, text, all, at, false);
    };
    Resolver r = new Resolver(fileName, locations, overridden, variants);
    Workload w = r.resolve(doc, fileName, text);
    for (DesignEntry e : w.designs()) {
      if (e.settings() != null && !e.settings().streamNames().equals(w.streamNames())) {
        throw e.error("the settings of this entry change the workload's tasks; an entry may"
            + " change only the machine and the kernel's tunables");
      }
    }
    return w;
  }

  // ---- reading ------------------------------------------------------------------------------

  /** Where each key and list item of {@code text} is, by JSON pointer. */
  Map<String, JsonLocation> locations(String fileName, String text) throws InputException {
    return locate(fileName, text);
  }

  private Map<String, JsonLocation> locate(String fileName, String text) throws InputException {
    Map<String, JsonLocation> out = new HashMap<>();
    try (JsonParser p = mapper.getFactory().createParser(text)) {
      JsonToken t;
      while ((t = p.nextToken()) != null) {
        var ctx = p.getParsingContext();
        JsonPointer ptr = null;
        if (t == JsonToken.FIELD_NAME || (t.isScalarValue() && ctx.inArray())) {
          ptr = ctx.pathAsPointer();
        } else if ((t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY)
            && ctx.getParent() != null && ctx.getParent().inArray()) {
          ptr = ctx.getParent().pathAsPointer();
        }
        if (ptr != null) {
          out.putIfAbsent(ptr.toString(), p.currentTokenLocation());
        }
      }
    } catch (JsonProcessingException e) {
      throw new InputException(syntaxError(fileName, text, e));
    } catch (IOException e) {
      throw new InputException(new Diagnostic(fileName, 0, 0, e.getMessage()));
    }
    return out;
  }

  private WorkloadDoc bind(String fileName, String text, Map<String, JsonLocation> locations)
      throws InputException {
    if (text.strip().isEmpty() || headerComment(text).length() > 0
        && text.lines().allMatch(l -> l.isBlank() || l.strip().startsWith("#"))) {
      throw new InputException(new Diagnostic(fileName, 1, 1,
          "the workload file is empty; expected at least global.runtime and jobs"));
    }
    try {
      WorkloadDoc doc = mapper.readValue(text, WorkloadDoc.class);
      if (doc == null) {
        throw new InputException(new Diagnostic(fileName, 1, 1,
            "the workload file is empty; expected at least global.runtime and jobs"));
      }
      return doc;
    } catch (JsonMappingException e) {
      throw new InputException(mappingError(fileName, e, locations));
    } catch (JsonProcessingException e) {
      throw new InputException(syntaxError(fileName, e));
    }
  }

  private WorkloadDoc applySets(String fileName, String text, List<String> sets,
      Map<String, Diagnostic> overridden, Map<String, Diagnostic> places) throws InputException {
    JsonNode tree;
    try {
      tree = mapper.readTree(text);
    } catch (JsonProcessingException e) {
      throw new InputException(syntaxError(fileName, e));
    }
    if (!(tree instanceof ObjectNode root)) {
      throw new InputException(new Diagnostic(fileName, 1, 1, "expected a mapping at the top"));
    }
    for (String set : sets) {
      int eq = set.indexOf('=');
      Diagnostic at = place(set, places);
      if (eq <= 0) {
        throw new InputException(at(at, "expected key.path=value, e.g. machine.cores=8"));
      }
      String key = set.substring(0, eq).trim();
      String value = set.substring(eq + 1).trim();
      String[] parts = key.split("\\.");
      ObjectNode node = root;
      for (int i = 0; i < parts.length - 1; i++) {
        JsonNode child = node.get(parts[i]);
        if (child == null || child.isNull()) {
          child = node.putObject(parts[i]);
        }
        if (!(child instanceof ObjectNode obj)) {
          throw new InputException(at(at,
              "'" + String.join(".", java.util.Arrays.copyOf(parts, i + 1))
                  + "' is not a section, so it cannot have keys"));
        }
        node = obj;
      }
      JsonNode parsed;
      try {
        parsed = mapper.readTree(value);
      } catch (JsonProcessingException e) {
        parsed = JsonNodeFactory.instance.textNode(value);
      }
      if (key.equals("designs") && parsed != null && parsed.isTextual()
          && parsed.asText().contains(",")) {
        // --set designs=a,b: a comma list is a list of designs, as --design a --design b.
        var list = JsonNodeFactory.instance.arrayNode();
        for (String d : parsed.asText().split(",", -1)) {
          list.add(d.trim());
        }
        parsed = list;
      }
      node.set(parts[parts.length - 1], parsed == null ? JsonNodeFactory.instance.nullNode() : parsed);
      overridden.put("/" + String.join("/", parts), at);
    }
    CostProfiles.merge(root, fileName, locations(fileName, text), overridden, mapper);
    try {
      return mapper.treeToValue(root, WorkloadDoc.class);
    } catch (JsonProcessingException e) {
      Diagnostic d = e instanceof JsonMappingException m
          ? mappingError(fileName, m, Map.of()) : syntaxError(fileName, e);
      if (e instanceof JsonMappingException m) {
        String ptr = pointer(m.getPath());
        for (Map.Entry<String, Diagnostic> o : overridden.entrySet()) {
          if (ptr.equals(o.getKey()) || ptr.startsWith(o.getKey() + "/")) {
            throw new InputException(at(o.getValue(), d.message()));
          }
        }
      }
      throw new InputException(new Diagnostic(
          sets.stream().map(this::option).collect(Collectors.joining(" ")), 0, 0, d.message()));
    }
  }

  /** {@code message} at the place {@code at} names. */
  private static Diagnostic at(Diagnostic at, String message) {
    return new Diagnostic(at.file(), at.line(), at.column(), message);
  }

  private static Diagnostic syntaxError(String fileName, String text,
      JsonProcessingException e) {
    JsonLocation loc = e.getLocation();
    // YAML forbids tabs in indentation, and the parser reports them confusingly (often at the
    // line before): name the first tab that indents a line up to the error.
    int errorLine = loc == null ? Integer.MAX_VALUE : loc.getLineNr();
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length && i < errorLine + 1; i++) {
      String l = lines[i];
      int col = 0;
      while (col < l.length() && (l.charAt(col) == ' ' || l.charAt(col) == '\t')) {
        if (l.charAt(col) == '\t') {
          return new Diagnostic(fileName, i + 1, col + 1, "a tab character in the indentation;"
              + " YAML indents with spaces only");
        }
        col++;
      }
    }
    return syntaxError(fileName, e);
  }

  private static Diagnostic syntaxError(String fileName, JsonProcessingException e) {
    JsonLocation loc = e.getLocation();
    String msg = e.getOriginalMessage();
    int nl = msg.indexOf('\n');
    if (nl > 0) {
      msg = msg.substring(0, nl);
    }
    return new Diagnostic(fileName, loc == null ? 1 : loc.getLineNr(),
        loc == null ? 1 : loc.getColumnNr(), "malformed YAML: " + msg);
  }

  private static Diagnostic mappingError(String fileName, JsonMappingException e,
      Map<String, JsonLocation> locations) {
    JsonLocation loc = locations.getOrDefault(pointer(e.getPath()), e.getLocation());
    String path = dotted(e.getPath());
    String msg;
    if (e instanceof UnrecognizedPropertyException u) {
      List<String> known = u.getKnownPropertyIds().stream().map(String::valueOf).sorted()
          .collect(Collectors.toList());
      String where = path.contains(".") ? " in " + path.substring(0, path.lastIndexOf('.')) : "";
      msg = "unknown key '" + u.getPropertyName() + "'" + where
          + Suggest.didYouMean(u.getPropertyName(), known) + " Expected one of: "
          + String.join(", ", known);
    } else if (e instanceof InvalidFormatException f) {
      msg = path + ": expected " + describe(f.getTargetType()) + ", got '" + f.getValue() + "'";
    } else if (e instanceof MismatchedInputException m) {
      msg = path + ": expected " + describe(m.getTargetType());
    } else {
      msg = path + ": " + e.getOriginalMessage();
    }
    return new Diagnostic(fileName, loc == null ? 1 : loc.getLineNr(),
        loc == null ? 1 : loc.getColumnNr(), msg);
  }

  private static String describe(Class<?> type) {
    if (type == null) {
      return "a different value";
    }
    if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
      return "a whole number";
    }
    if (type == Boolean.class || type == boolean.class) {
      return "true or false";
    }
    if (type == String.class) {
      return "a single value (text, a time or a size)";
    }
    if (List.class.isAssignableFrom(type)) {
      return "a list";
    }
    if (Map.class.isAssignableFrom(type) || type.isRecord()) {
      return "a mapping of keys to values";
    }
    return "a " + type.getSimpleName();
  }

  private static String pointer(List<JsonMappingException.Reference> path) {
    StringBuilder sb = new StringBuilder();
    for (JsonMappingException.Reference r : path) {
      if (r.getFieldName() != null) {
        sb.append('/').append(r.getFieldName().replace("~", "~0").replace("/", "~1"));
      } else if (r.getIndex() >= 0) {
        sb.append('/').append(r.getIndex());
      }
    }
    return sb.toString();
  }

  private static String dotted(List<JsonMappingException.Reference> path) {
    StringBuilder sb = new StringBuilder();
    for (JsonMappingException.Reference r : path) {
      if (r.getFieldName() != null) {
        sb.append(sb.length() == 0 ? "" : ".").append(r.getFieldName());
      } else if (r.getIndex() >= 0) {
        sb.append('[').append(r.getIndex()).append(']');
      }
    }
    return sb.length() == 0 ? "(top)" : sb.toString();
  }

  // ---- resolving ----------------------------------------------------------------------------

  /** Applies defaults and checks values, naming the key's location in every error. */

  static String baseName(String file) {
    String n = Path.of(file).getFileName().toString();
    return n.endsWith(".yaml") ? n.substring(0, n.length() - 5)
        : n.endsWith(".yml") ? n.substring(0, n.length() - 4) : n;
  }

  /** The leading block of {@code #} comment lines, without the markers. */
  static String headerComment(String text) {
    StringBuilder sb = new StringBuilder();
    for (String line : text.split("\n", -1)) {
      String t = line.strip();
      if (!t.startsWith("#")) {
        break;
      }
      sb.append(t.substring(1).strip()).append('\n');
    }
    return sb.toString().strip();
  }
}
