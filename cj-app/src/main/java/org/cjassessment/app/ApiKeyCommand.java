package org.cjassessment.app;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.Callable;
import org.cjassessment.service.auth.ApiKeyHash;
import org.cjassessment.service.auth.ApiKeys;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "apikey",
    mixinStandardHelpOptions = true,
    description = "Manage API keys of the HTTP API (the keys file is CJ_API_KEYS_FILE).",
    subcommands = {ApiKeyCommand.Create.class})
final class ApiKeyCommand implements Runnable {

  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(name = "create", mixinStandardHelpOptions = true, description = {
      "Mint a key: prints the token once (give it to the client; it is not stored) and the keys-file line",
      "(its SHA-256 and the client's identity). With --keys-file the line is appended to that file."})
  static final class Create implements Callable<Integer> {
    @Option(names = "--client", required = true, description = "Client id: owner of its batches and namespace of "
        + "its batch ids ('platform' shares the Kafka intake's).")
    String client;

    @Option(names = "--org", defaultValue = "-", description = "Organisation billed for its batches (default: none).")
    String org;

    @Option(names = "--user", required = true, description = "User billed for its batches.")
    String user;

    @Option(names = "--keys-file", description = "Append the line to this file (created if missing).")
    Path keysFile;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
      // Each value is checked by its option's name: the keys file separates fields by blanks, so a value with a
      // blank (or an empty one) would shift the fields of its line.
      if (!client.matches("[A-Za-z0-9._@-]{1,128}")) {
        throw new UserInputException("--client '" + client + "' must be 1-128 of A-Z a-z 0-9 . _ @ -");
      }
      field("--org", org);
      field("--user", user);
      String token = ApiKeyHash.newToken();
      String line = ApiKeyHash.of(token) + " " + client + " " + org + " " + user;
      try {
        ApiKeys.parseLine(line); // the same checks the service applies when it loads the file
      } catch (ApiKeys.KeysFileException e) {
        throw new UserInputException(e.getMessage());
      }
      PrintWriter out = spec.commandLine().getOut();
      if (keysFile != null) {
        // Written before the token is shown: a token whose line never reached the file would be useless.
        append(keysFile, line);
        out.println("token: " + token);
        out.println("appended to " + keysFile + ": " + line);
      } else {
        out.println("token: " + token);
        out.println("keys-file line: " + line);
      }
      out.println("The token is shown only now. Clients send it as 'Authorization: Bearer <token>'; the service "
          + "reads the keys file at start.");
      out.flush();
      return 0;
    }

    private static void field(String option, String value) {
      if (value.isBlank() || !value.strip().equals(value) || value.chars().anyMatch(Character::isWhitespace)) {
        throw new UserInputException(option + " '" + value + "' must be one word: no blanks, not empty"
            + (option.equals("--org") ? " (omit --org for no organisation)" : ""));
      }
    }

    private static void append(Path file, String line) {
      if (Files.isDirectory(file)) {
        throw new UserInputException("--keys-file " + file + ": is a directory");
      }
      try {
        // A file whose last line has no line break would otherwise get the new key glued onto that line.
        boolean needsBreak = Files.exists(file) && Files.size(file) > 0 && !endsWithLineBreak(file);
        Files.writeString(file, (needsBreak ? System.lineSeparator() : "") + line + System.lineSeparator(),
            StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
      } catch (java.nio.file.NoSuchFileException e) {
        throw new UserInputException("--keys-file " + file + ": its folder does not exist", e);
      } catch (IOException e) {
        throw new UserInputException("--keys-file " + file + ": cannot append (" + e.getClass().getSimpleName()
            + ")", e);
      }
    }

    private static boolean endsWithLineBreak(Path file) throws IOException {
      try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(file.toFile(), "r")) {
        f.seek(f.length() - 1);
        return f.read() == '\n';
      }
    }
  }
}
