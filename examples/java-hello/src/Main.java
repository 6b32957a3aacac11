import java.nio.file.Files;
import java.nio.file.Path;

/** Prints a greeting read from data/, with the Java release it runs on. */
public class Main {
    public static void main(String[] args) throws Exception {
        String greeting = Files.readString(Path.of("data", "greeting.txt")).trim();
        System.out.println(greeting + " from Java " + Runtime.version().feature());
    }
}
