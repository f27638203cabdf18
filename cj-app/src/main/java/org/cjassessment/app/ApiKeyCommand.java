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
      String token = ApiKeyHash.newToken();
      String line = ApiKeyHash.of(token) + " " + client + " " + org + " " + user;
      try {
        ApiKeys.parseLine(line); // the same checks the service applies when it loads the file
      } catch (ApiKeys.KeysFileException e) {
        throw new UserInputException(e.getMessage());
      }
      PrintWriter out = spec.commandLine().getOut();
      out.println("token: " + token);
      if (keysFile != null) {
        try {
          Files.writeString(keysFile, line + System.lineSeparator(), StandardCharsets.UTF_8,
              StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
          throw new UserInputException("cannot append to " + keysFile + ": " + e.getClass().getSimpleName(), e);
        }
        out.println("appended to " + keysFile + ": " + line);
      } else {
        out.println("keys-file line: " + line);
      }
      out.println("The token is shown only now. Clients send it as 'Authorization: Bearer <token>'; the service "
          + "reads the keys file at start.");
      out.flush();
      return 0;
    }
  }
}
