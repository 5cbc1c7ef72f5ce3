import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Prints the Kafka Java client's partition for keys, in the format of
 * "tongagen partition", to cross-check package partition by hand (the Go
 * tests do not need Java). murmur2 and toPositive are
 * org.apache.kafka.common.utils.Utils.murmur2 and Utils.toPositive from
 * apache/kafka clients/src/main/java/org/apache/kafka/common/utils/Utils.java,
 * unchanged; the partition is BuiltInPartitioner.partitionForKey's
 * toPositive(murmur2(key)) % numPartitions.
 *
 * Usage: java Murmur2Cli [-hash] [-base64] PARTITIONS KEY...
 */
public class Murmur2Cli {
    @SuppressWarnings("fallthrough")
    public static int murmur2(final byte[] data) {
        int length = data.length;
        int seed = 0x9747b28c;
        // 'm' and 'r' are mixing constants generated offline.
        // They're not really 'magic', they just happen to work well.
        final int m = 0x5bd1e995;
        final int r = 24;

        // Initialize the hash to a random value
        int h = seed ^ length;
        int length4 = length / 4;

        for (int i = 0; i < length4; i++) {
            final int i4 = i * 4;
            int k = (data[i4 + 0] & 0xff) + ((data[i4 + 1] & 0xff) << 8) + ((data[i4 + 2] & 0xff) << 16) + ((data[i4 + 3] & 0xff) << 24);
            k *= m;
            k ^= k >>> r;
            k *= m;
            h *= m;
            h ^= k;
        }

        // Handle the last few bytes of the input array
        switch (length % 4) {
            case 3:
                h ^= (data[(length & ~3) + 2] & 0xff) << 16;
            case 2:
                h ^= (data[(length & ~3) + 1] & 0xff) << 8;
            case 1:
                h ^= data[length & ~3] & 0xff;
                h *= m;
        }

        h ^= h >>> 13;
        h *= m;
        h ^= h >>> 15;

        return h;
    }

    public static int toPositive(int number) {
        return number & 0x7fffffff;
    }

    public static void main(String[] args) {
        boolean hash = false;
        boolean base64 = false;
        int a = 0;
        for (; a < args.length && args[a].startsWith("-"); a++) {
            if (args[a].equals("-hash")) {
                hash = true;
            } else if (args[a].equals("-base64")) {
                base64 = true;
            } else {
                System.err.println("usage: java Murmur2Cli [-hash] [-base64] PARTITIONS KEY...");
                System.exit(2);
            }
        }
        int partitions = Integer.parseInt(args[a++]);
        for (; a < args.length; a++) {
            byte[] key = base64 ? Base64.getDecoder().decode(args[a]) : args[a].getBytes(StandardCharsets.UTF_8);
            int h = murmur2(key);
            System.out.println(args[a] + "\t" + (toPositive(h) % partitions) + (hash ? "\t" + h : ""));
        }
    }
}
