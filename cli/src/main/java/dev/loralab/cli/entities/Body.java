package dev.loralab.cli.entities;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.loralab.cli.CliInputException;
import java.util.ArrayList;
import java.util.List;

/**
 * A request body for one entity ({@code {"<wrapper>": {...}, "field_mask": {"paths": [...]}}}),
 * built from the flags that were given: every set field is also a field mask path.
 */
final class Body {

  private final String wrapper;
  private final ObjectNode entity = JsonNodeFactory.instance.objectNode();
  private final List<String> paths = new ArrayList<>();

  Body(String wrapper) {
    this.wrapper = wrapper;
  }

  /** Sets {@code path} (dotted proto field names) to a string if {@code value} is not null. */
  Body set(String path, String value) {
    if (value != null) {
      put(path, JsonNodeFactory.instance.textNode(value), true);
    }
    return this;
  }

  /** Sets a boolean field if {@code value} is not null. */
  Body set(String path, Boolean value) {
    if (value != null) {
      put(path, JsonNodeFactory.instance.booleanNode(value), true);
    }
    return this;
  }

  /** Sets a field without adding a mask path (identifiers). */
  Body setId(String path, String value) {
    if (value != null) {
      put(path, JsonNodeFactory.instance.textNode(value), false);
    }
    return this;
  }

  /** Sets a field to an arbitrary JSON value, with mask path {@code maskPath} (or none if null). */
  Body setNode(String path, JsonNode value, String maskPath) {
    put(path, value, false);
    if (maskPath != null && !paths.contains(maskPath)) {
      paths.add(maskPath);
    }
    return this;
  }

  /** The mask paths set so far. */
  List<String> paths() {
    return paths;
  }

  /** The body without a field mask. */
  ObjectNode forCreate() {
    ObjectNode root = JsonNodeFactory.instance.objectNode();
    root.set(wrapper, entity);
    return root;
  }

  /** The body with the field mask; at least one field must be set. */
  ObjectNode forUpdate() {
    if (paths.isEmpty()) {
      throw new CliInputException("update: expected at least one field flag to change, found none");
    }
    ObjectNode root = forCreate();
    ArrayNode p = root.putObject("field_mask").putArray("paths");
    paths.forEach(p::add);
    return root;
  }

  private void put(String path, JsonNode value, boolean mask) {
    String[] parts = path.split("\\.");
    ObjectNode node = entity;
    for (int i = 0; i < parts.length - 1; i++) {
      JsonNode child = node.get(parts[i]);
      node = child instanceof ObjectNode o ? o : node.putObject(parts[i]);
    }
    node.set(parts[parts.length - 1], value);
    if (mask && !paths.contains(path)) {
      paths.add(path);
    }
  }

  /** {@code positional} or {@code flag} value of an ID given either way (not both, differently). */
  static String either(String flag, String positional, String option) {
    if (positional != null && option != null && !positional.equals(option)) {
      throw new CliInputException(flag + ": expected one value, found '" + positional + "' and '" + option + "'");
    }
    String v = positional != null ? positional : option;
    if (v == null) {
      throw new CliInputException(flag + ": expected a value (argument or " + flag + "), found none");
    }
    return v;
  }
}
