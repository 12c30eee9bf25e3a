package dev.redisresilience.agent.config;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** README.md's configuration table lists exactly the keys AgentConfig knows, with their defaults. */
class ReadmeConfigTableTest {
    private static final Pattern ROW = Pattern.compile("^\\|\\s*`([^`]+)`\\s*\\|\\s*([^|]*?)\\s*\\|.*");

    static Map<String, String> readmeTable() throws Exception {
        Path readme = Paths.get("..", "README.md"); // tests run in agent/
        if (!Files.exists(readme)) {
            readme = Paths.get("README.md");
        }
        List<String> lines = Files.readAllLines(readme, StandardCharsets.UTF_8);
        Map<String, String> rows = new LinkedHashMap<>();
        boolean inSection = false;
        for (String line : lines) {
            if (line.startsWith("## ")) {
                inSection = line.trim().equals("## Configuration");
                continue;
            }
            Matcher m = ROW.matcher(line);
            if (inSection && m.matches()) {
                rows.put(m.group(1), m.group(2));
            }
        }
        return rows;
    }

    @Test
    void everyKeyIsDocumentedAndEveryDocumentedKeyExists() throws Exception {
        Map<String, String> table = readmeTable();
        assertThat(table).as("README.md '## Configuration' table").isNotEmpty();
        assertThat(table.keySet()).containsExactlyInAnyOrderElementsOf(AgentConfig.keys());
    }

    @Test
    void documentedDefaultsMatchTheCode() throws Exception {
        for (Map.Entry<String, String> row : readmeTable().entrySet()) {
            String dflt = AgentConfig.defaultValue(row.getKey());
            assertThat(row.getValue()).as(row.getKey()).isEqualTo(dflt.isEmpty() ? "(none)" : "`" + dflt + "`");
        }
    }
}
