package org.cjassessment.service.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A keys file as editors save it (Notepad's byte-order mark, Windows line ends) loads; a missing one says so. */
class KeysFileAsEditorsSaveItTest {

  @TempDir
  Path dir;

  @Test
  void aByteOrderMarkAndCrlfLineEndsAreNotPartOfTheKeys() throws Exception {
    String token = ApiKeyHash.newToken();
    Path keys = Files.write(dir.resolve("keys"), ("\uFEFF" + ApiKeyHash.of(token) + " school-a - teacher\r\n"
        + "# a comment\r\n").getBytes(StandardCharsets.UTF_8));
    assertThat(ApiKeys.load(keys).authenticate(token)).contains(new Client("school-a", null, "teacher"));
  }

  @Test
  void aMissingFileIsNamedWithHowToCreateIt() {
    Path missing = dir.resolve("nope");
    assertThatThrownBy(() -> ApiKeys.load(missing)).isInstanceOf(ApiKeys.KeysFileException.class)
        .hasMessage("API keys file " + missing + " does not exist (create it with 'cj apikey create --client ID "
            + "--user USER --keys-file " + missing + "')");
  }
}
