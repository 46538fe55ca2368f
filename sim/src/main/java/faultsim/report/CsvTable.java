package faultsim.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A CSV file with a header line, read as RFC 4180 quotes it (the way {@code Csv} writes it). */
final class CsvTable {
  private final Map<String, Integer> columns;
  private final List<String> header;
  private final List<List<String>> rows;

  private CsvTable(List<String> header, List<List<String>> rows) {
    this.header = List.copyOf(header);
    this.rows = rows;
    Map<String, Integer> c = new HashMap<>();
    for (int i = 0; i < header.size(); i++) {
      c.put(header.get(i), i);
    }
    this.columns = c;
  }

  /** Reads {@code file}; a missing file is an empty table with no columns. */
  static CsvTable read(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      return new CsvTable(List.of(), List.of());
    }
    return parse(Files.readString(file, StandardCharsets.UTF_8));
  }

  static CsvTable parse(String text) {
    List<List<String>> records = new ArrayList<>();
    List<String> record = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    boolean quoted = false;
    boolean any = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (quoted) {
        if (c == '"') {
          if (i + 1 < text.length() && text.charAt(i + 1) == '"') {
            field.append('"');
            i++;
          } else {
            quoted = false;
          }
        } else {
          field.append(c);
        }
        continue;
      }
      if (c == '"') {
        quoted = true;
        any = true;
      } else if (c == ',') {
        record.add(field.toString());
        field.setLength(0);
        any = true;
      } else if (c == '\n' || c == '\r') {
        if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
          i++;
        }
        if (any || field.length() > 0) {
          record.add(field.toString());
          records.add(record);
        }
        record = new ArrayList<>();
        field.setLength(0);
        any = false;
      } else {
        field.append(c);
        any = true;
      }
    }
    if (any || field.length() > 0) {
      record.add(field.toString());
      records.add(record);
    }
    if (records.isEmpty()) {
      return new CsvTable(List.of(), List.of());
    }
    return new CsvTable(records.get(0), records.subList(1, records.size()));
  }

  List<String> header() {
    return header;
  }

  boolean has(String column) {
    return columns.containsKey(column);
  }

  int size() {
    return rows.size();
  }

  List<Row> rows() {
    List<Row> out = new ArrayList<>(rows.size());
    for (List<String> r : rows) {
      out.add(new Row(r));
    }
    return Collections.unmodifiableList(out);
  }

  /** One record, read by column name. */
  final class Row {
    private final List<String> values;

    Row(List<String> values) {
      this.values = values;
    }

    String get(String column) {
      Integer i = columns.get(column);
      if (i == null) {
        throw new IllegalArgumentException("no column '" + column + "' in " + header);
      }
      return i < values.size() ? values.get(i) : "";
    }

    String get(int index) {
      return index < values.size() ? values.get(index) : "";
    }

    /** The value as a number; NaN when empty (a confidence interval of one replication). */
    double number(String column) {
      String s = get(column);
      return s.isEmpty() ? Double.NaN : Double.parseDouble(s);
    }

    long integer(String column) {
      String s = get(column);
      return s.isEmpty() ? 0 : Long.parseLong(s);
    }
  }
}
