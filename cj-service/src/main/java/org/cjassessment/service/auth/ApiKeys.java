package org.cjassessment.service.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The API keys of a keys file ({@code CJ_API_KEYS_FILE}). One key per line, fields separated by blanks:
 *
 * <pre>
 * # hash                                                                  client   org     user
 * sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08 school-a org-17  teacher-3
 * </pre>
 *
 * The hash is {@link ApiKeyHash#of} of the token ({@code cj apikey create} prints both); {@code -} as org means none.
 * Blank lines and lines starting with {@code #} are ignored. Tokens themselves are never stored.
 */
public final class ApiKeys implements Authenticator {

  /** A keys file that cannot be used; the message names the file, the line and the fix. */
  public static final class KeysFileException extends RuntimeException {
    public KeysFileException(String message) {
      super(message);
    }
  }

  /** Client ids: no ':' (the migration parks legacy duplicates under 'legacy-duplicate:ID', which no key can be). */
  private static final String CLIENT_ID = "[A-Za-z0-9._@-]{1,128}";

  private record Key(byte[] hash, Client client) {}

  private final List<Key> keys;

  private ApiKeys(List<Key> keys) {
    this.keys = List.copyOf(keys);
  }

  public static ApiKeys load(Path file) {
    List<String> lines;
    try {
      lines = new java.util.ArrayList<>(Files.readAllLines(file, StandardCharsets.UTF_8));
      if (!lines.isEmpty() && lines.get(0).startsWith("\uFEFF")) {
        lines.set(0, lines.get(0).substring(1)); // a byte-order mark (Notepad's UTF-8) is not part of the first key
      }
    } catch (java.nio.file.NoSuchFileException e) {
      throw new KeysFileException("API keys file " + file + " does not exist (create it with 'cj apikey create "
          + "--client ID --user USER --keys-file " + file + "')");
    } catch (IOException e) {
      throw new KeysFileException("cannot read API keys file " + file + ": " + e.getClass().getSimpleName());
    }
    return parse(lines, file.toString());
  }

  public static ApiKeys parse(List<String> lines, String source) {
    List<Key> keys = new ArrayList<>();
    Set<String> hashes = new HashSet<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String where = source + " line " + (i + 1);
      String[] f = line.split("\\s+");
      if (f.length != 4) {
        throw new KeysFileException(where + ": expected 4 fields (sha256:HASH CLIENT ORG USER), found " + f.length
            + "; create a line with: cj apikey create --client ID --org ORG --user USER");
      }
      String hash = f[0].toLowerCase(java.util.Locale.ROOT);
      if (!hash.matches("sha256:[0-9a-f]{64}")) {
        // Never echo the field: someone may have pasted the token itself here.
        throw new KeysFileException(where + ": the first field must be sha256: and 64 hex digits (the hash of the "
            + "token, not the token); create a line with: cj apikey create");
      }
      if (!hashes.add(hash)) {
        throw new KeysFileException(where + ": the same key appears twice");
      }
      if (!f[1].matches(CLIENT_ID)) {
        throw new KeysFileException(where + ": client id '" + f[1] + "' must be 1-128 of A-Z a-z 0-9 . _ @ -");
      }
      keys.add(new Key(HexFormat.of().parseHex(hash.substring(ApiKeyHash.HASH_PREFIX.length())),
          new Client(f[1], f[2].equals("-") ? null : f[2], f[3])));
    }
    return new ApiKeys(keys);
  }

  /** Checks one line as {@link #load} would (for tools that write lines). */
  public static void parseLine(String line) {
    parse(java.util.List.of(line), "line");
  }

  public int size() {
    return keys.size();
  }

  /**
   * Compares the token's hash with every key's in constant time and without stopping at a match, so the time taken
   * says nothing about which or how many bytes matched.
   */
  @Override
  public Optional<Client> authenticate(String bearerToken) {
    if (bearerToken == null || bearerToken.isEmpty() || bearerToken.length() > 512) {
      return Optional.empty();
    }
    byte[] presented = ApiKeyHash.digest(bearerToken);
    Client found = null;
    for (Key k : keys) {
      if (MessageDigest.isEqual(k.hash(), presented)) {
        found = k.client();
      }
    }
    return Optional.ofNullable(found);
  }
}
