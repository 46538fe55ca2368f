package faultsim.lang;

import faultsim.workload.Diagnostic;
import faultsim.workload.InputException;
import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.antlr.v4.runtime.Token;

/**
 * Finds and loads designs: the built-in ones, shipped as class-path resources
 * {@code faultsim/designs/NAME.design}, and design files given by path. {@code extends NAME}
 * names a built-in design; {@code extends "x.design"} a file relative to the including file's
 * directory (for a built-in, another resource).
 */
public final class DesignLibrary {
  /** The largest design file read. */
  static final long MAX_FILE_BYTES = 1 << 20;

  /** Where built-in designs live on the class path. */
  public static final String RESOURCE_DIR = "faultsim/designs/";
  private static final String SUFFIX = ".design";

  private DesignLibrary() {}

  /** The built-in designs on the class path, by name, each with its one-line description. */
  public static List<BuiltinDesign> builtins() {
    Map<String, BuiltinDesign> found = new TreeMap<>();
    for (String name : resourceNames()) {
      String text = readResource(name);
      if (text != null) {
        found.put(name, new BuiltinDesign(name, description(text)));
      }
    }
    return List.copyOf(found.values());
  }

  /**
   * Whether {@code nameOrPath} is a path (it ends in {@code .design} or has a directory
   * separator) rather than a built-in design's name.
   */
  public static boolean isPath(String nameOrPath) {
    return nameOrPath.endsWith(SUFFIX) || nameOrPath.contains("/")
        || nameOrPath.contains(java.io.File.separator);
  }

  /**
   * Loads, checks and compiles a design and everything it extends. The files are read and
   * parsed every time; when every text in the chain is one compiled lately (against the same
   * host, under the same names), that compiled design is returned rather than a new one.
   *
   * @param nameOrPath a built-in design's name, or a path to a design file
   * @param baseDir the directory a relative path is resolved against (null: the working
   *     directory)
   * @throws InputException with every error found (at most 20), each naming file, line and column
   */
  public static CompiledDesign load(String nameOrPath, Path baseDir, Host host)
      throws InputException {
    Diagnostics diags = new Diagnostics();
    DesignSource leaf;
    if (isPath(nameOrPath)) {
      Path p = baseDir == null ? Path.of(nameOrPath) : baseDir.resolve(nameOrPath);
      leaf = parseFile(p, faultsim.workload.TextFiles.read(p, "design file", MAX_FILE_BYTES),
          diags);
    } else {
      String text = readResource(nameOrPath);
      if (text == null) {
        throw new InputException(new Diagnostic(nameOrPath, 0, 0,
            "unknown design '" + nameOrPath + "'; built-in designs: " + builtinNames()));
      }
      leaf = parseBuiltin(nameOrPath, text, diags);
    }
    return link(leaf, host, diags);
  }

  /**
   * Checks and compiles design text that is not read from a file (a test, an editor buffer).
   *
   * @param file how errors and locations name it
   * @param dir the directory relative {@code extends} paths resolve against (null: the
   *     working directory)
   */
  public static CompiledDesign compile(String file, String text, Path dir, Host host)
      throws InputException {
    Diagnostics diags = new Diagnostics();
    DesignSource leaf = DesignSource.parse(file, file, false, dir == null ? Path.of("") : dir,
        text, diags);
    return link(leaf, host, diags);
  }

  private static CompiledDesign link(DesignSource leaf, Host host, Diagnostics diags)
      throws InputException {
    List<DesignSource> chain = new ArrayList<>();
    List<String> keys = new ArrayList<>();
    chain.add(leaf);
    keys.add(key(leaf));
    DesignSource cur = leaf;
    while (!diags.hasErrors()) {
      DesignParser.HeaderContext h = cur.tree().header();
      if (h == null || (h.baseName == null && h.basePath == null)) {
        break;
      }
      DesignSource base = base(cur, h, keys, diags);
      if (base == null) {
        break;
      }
      chain.add(base);
      keys.add(key(base));
      cur = base;
    }
    diags.throwIfAny();
    Collections.reverse(chain);
    List<Object> key = new ArrayList<>();
    key.add(host);
    for (DesignSource s : chain) {
      key.add(List.of(s.label(), s.diagnosticFile(), s.builtin(), s.dir().toString(), s.text()));
    }
    CompiledDesign same = COMPILED.get(key);
    if (same != null) {
      return same;
    }
    CompiledDesign d = DesignCompiler.compile(chain, host, diags);
    COMPILED.put(key, d);
    return d;
  }

  /**
   * The designs last compiled, by the text of every file in their chain (with the names and
   * directories they were read under, which locations in messages and traces show) and the host
   * they were compiled against. A sweep or a cluster worker loads a design file once per
   * replication, reading it again since it may have changed; when its text has not, the run gets
   * the design compiled before. Recompiling would give the same program but new generated
   * classes, which the JIT then compiles again from the start: a sweep of a design file ran about
   * 1.3 times as long as the same sweep of the same design built in. Compiled designs are only
   * read once built, so runs on any thread may share one. The last {@value #COMPILED_KEPT} are
   * kept (an edited file leaves its old versions behind).
   */
  private static final int COMPILED_KEPT = 16;
  private static final Map<List<Object>, CompiledDesign> COMPILED =
      faultsim.util.RecentMap.of(COMPILED_KEPT);

  /** The design {@code from}'s header extends, parsed, or null after reporting why not. */
  private static DesignSource base(DesignSource from, DesignParser.HeaderContext h,
      List<String> keys, Diagnostics diags) {
    Token at = h.baseName != null ? h.baseName : h.basePath;
    DesignSource base;
    String key;
    if (h.baseName != null) {
      String name = h.baseName.getText();
      key = "builtin:" + name;
      if (keys.contains(key)) {
        diags.error(from, at, cycle(keys, key));
        return null;
      }
      String text = readResource(name);
      if (text == null) {
        diags.error(from, at, "unknown base design '" + name + "'; built-in designs: "
            + builtinNames());
        return null;
      }
      base = parseBuiltin(name, text, diags);
    } else {
      String rel = h.basePath.getText().substring(1, h.basePath.getText().length() - 1);
      if (from.builtin()) {
        String name = rel.endsWith(SUFFIX) ? rel.substring(0, rel.length() - SUFFIX.length())
            : rel;
        key = "builtin:" + name;
        if (keys.contains(key)) {
          diags.error(from, at, cycle(keys, key));
          return null;
        }
        String text = readResource(name);
        if (text == null) {
          diags.error(from, at, "unknown base design \"" + rel + "\" next to " + from.label());
          return null;
        }
        base = parseBuiltin(name, text, diags);
      } else {
        Path p = from.dir().resolve(rel).normalize();
        key = p.toAbsolutePath().normalize().toString();
        if (keys.contains(key)) {
          diags.error(from, at, cycle(keys, key));
          return null;
        }
        String text;
        try {
          text = faultsim.workload.TextFiles.read(p, "design file", MAX_FILE_BYTES);
        } catch (InputException e) {
          diags.error(from, at, "base design " + p + ": " + e.diagnostics().get(0).message());
          return null;
        }
        base = parseFile(p, text, diags);
      }
    }
    return base;
  }

  private static String cycle(List<String> keys, String again) {
    List<String> names = new ArrayList<>();
    for (String k : keys.subList(keys.indexOf(again), keys.size())) {
      names.add(display(k));
    }
    names.add(display(again));
    return "extends cycle: " + String.join(" -> ", names);
  }

  private static String display(String key) {
    return key.startsWith("builtin:") ? key.substring("builtin:".length())
        : Path.of(key).getFileName().toString();
  }

  private static String key(DesignSource s) {
    return s.builtin() ? "builtin:" + s.label()
        : Path.of(s.diagnosticFile()).toAbsolutePath().normalize().toString();
  }

  private static DesignSource parseBuiltin(String name, String text, Diagnostics diags) {
    DesignSource s = DesignSource.parse(name, "builtin:" + name, true, Path.of(""), text,
        diags);
    DesignParser.HeaderContext h = s.tree().header();
    if (h != null && h.name != null && !h.name.getText().equals(name)
        && !diags.hasErrors()) {
      diags.error(s, h.name, "design '" + h.name.getText() + "' is in the file for '" + name
          + "'; a built-in design's header must name it " + name);
    }
    return s;
  }

  private static DesignSource parseFile(Path p, String text, Diagnostics diags) {
    Path dir = p.getParent() == null ? Path.of("") : p.getParent();
    return DesignSource.parse(p.toString(), p.toString(), false, dir, text, diags);
  }

  private static String readResource(String name) {
    if (!name.matches("[A-Za-z0-9_.-]+")) {
      return null;
    }
    try (InputStream in = loader().getResourceAsStream(RESOURCE_DIR + name + SUFFIX)) {
      return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return null;
    }
  }

  private static ClassLoader loader() {
    ClassLoader cl = DesignLibrary.class.getClassLoader();
    return cl != null ? cl : ClassLoader.getSystemClassLoader();
  }

  private static List<String> builtinNames() {
    List<String> names = new ArrayList<>();
    for (BuiltinDesign d : builtins()) {
      names.add(d.name());
    }
    return names;
  }

  /** Names of every {@code faultsim/designs/*.design} resource, in directories and jars. */
  private static List<String> resourceNames() {
    List<String> names = new ArrayList<>();
    try {
      Enumeration<URL> roots = loader().getResources(RESOURCE_DIR.substring(0,
          RESOURCE_DIR.length() - 1));
      while (roots.hasMoreElements()) {
        URL url = roots.nextElement();
        if (url.getProtocol().equals("file")) {
          try (Stream<Path> files = Files.list(Path.of(url.toURI()))) {
            files.map(f -> f.getFileName().toString()).filter(f -> f.endsWith(SUFFIX))
                .forEach(f -> names.add(f.substring(0, f.length() - SUFFIX.length())));
          }
        } else if (url.getProtocol().equals("jar")
            && url.openConnection() instanceof JarURLConnection conn) {
          conn.setUseCaches(false);
          try (JarFile jar = conn.getJarFile()) {
            for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements(); ) {
              String n = e.nextElement().getName();
              if (n.startsWith(RESOURCE_DIR) && n.endsWith(SUFFIX)
                  && n.indexOf('/', RESOURCE_DIR.length()) < 0) {
                names.add(n.substring(RESOURCE_DIR.length(), n.length() - SUFFIX.length()));
              }
            }
          }
        }
      }
    } catch (IOException | URISyntaxException e) {
      throw new IllegalStateException("cannot list built-in designs: " + e.getMessage(), e);
    }
    return names;
  }

  /** The first comment line after the header, without its comment markers. */
  static String description(String text) {
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("(?m)^\\s*design\\b[^;]*;").matcher(text);
    if (!m.find()) {
      return "";
    }
    int header = m.end() - 1;
    if (header < 0) {
      return "";
    }
    for (String line : text.substring(header + 1).split("\\R")) {
      String s = line.strip();
      if (s.startsWith("//")) {
        return s.substring(2).strip();
      }
      if (s.startsWith("/*")) {
        s = s.substring(2).replace("*/", "").strip();
        return s.startsWith("*") ? s.substring(1).strip() : s;
      }
      if (!s.isEmpty()) {
        return "";
      }
    }
    return "";
  }
}
