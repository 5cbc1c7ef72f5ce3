"""Python side of runtime/wire's interoperability tests (container_python_test.go).

It writes and reads Avro object container files the way Python Tonga's
AvroSerializer does: avro.datafile.DataFileWriter with avro.io.DatumWriter,
DataFileReader with DatumReader, the full name from the header schema's
"namespace" and "name" keys.

    interop.py write SCHEMA DATUMS CODEC OUT
        SCHEMA is a .avsc.yaml file (loaded as Python Tonga loads it) or a
        JSON file; DATUMS is a JSON list of records. Writes them to OUT in
        one file with CODEC, one append each and one flush.
    interop.py read IN OUT [IN OUT ...]
        Prints a JSON list with a summary of each IN: the header's metadata
        keys in file order, its codec, the full name Python Tonga reads, the
        records. Writes the records it read to OUT again, null codec, with
        the header's schema.
    interop.py bzip2-bomb SCHEMA SIZE OUT
        Writes a file of one bzip2 block of SIZE zero bytes.

In JSON, bytes values are {"$bytes": "<hex>"}.
"""

import io
import json
import sys
import warnings

import avro.datafile
import avro.errors
import avro.io
import avro.schema

# Tonga's schemas put timestamp-millis on a double, which avro ignores with
# a warning on every parse.
if hasattr(avro.errors, "IgnoredLogicalType"):
    warnings.simplefilter("ignore", avro.errors.IgnoredLogicalType)


def parse_schema(path):
    with open(path) as f:
        text = f.read()
    if path.endswith((".yaml", ".yml")):
        try:
            import yaml
        except ImportError:
            sys.stderr.write("pyyaml is not installed\n")
            sys.exit(3)
        text = json.dumps(yaml.load(text, Loader=yaml.FullLoader))
    return avro.schema.parse(text)


def from_json(v):
    if isinstance(v, dict):
        if set(v) == {"$bytes"}:
            return bytes.fromhex(v["$bytes"])
        return {k: from_json(x) for k, x in v.items()}
    if isinstance(v, list):
        return [from_json(x) for x in v]
    return v


def to_json(v):
    if isinstance(v, (bytes, bytearray)):
        return {"$bytes": bytes(v).hex()}
    if isinstance(v, dict):
        return {k: to_json(x) for k, x in v.items()}
    if isinstance(v, list):
        return [to_json(x) for x in v]
    return v


def write(schema, datums, codec):
    out = io.BytesIO()
    writer = avro.datafile.DataFileWriter(out, avro.io.DatumWriter(), schema, codec=codec)
    for d in datums:
        writer.append(d)
    writer.flush()
    return out.getvalue()


def main(args):
    if args[0] == "write":
        schema = parse_schema(args[1])
        with open(args[2]) as f:
            datums = from_json(json.load(f))
        data = write(schema, datums, args[3])
        with open(args[4], "wb") as f:
            f.write(data)
    elif args[0] == "read":
        summaries = []
        for src, dst in zip(args[1::2], args[2::2]):
            with open(src, "rb") as f:
                data = f.read()
            reader = avro.datafile.DataFileReader(io.BytesIO(data), avro.io.DatumReader())
            schema_text = reader.meta.get("avro.schema").decode("utf-8")
            header = json.loads(schema_text)
            records = list(reader)
            summaries.append({
                "meta_keys": list(reader.meta.keys()),
                "codec": reader.codec,
                "schema_name": header["namespace"] + "." + header["name"],
                "records": to_json(records),
            })
            with open(dst, "wb") as f:
                f.write(write(avro.schema.parse(schema_text), records, "null"))
        json.dump(summaries, sys.stdout)
    elif args[0] == "bzip2-bomb":
        import bz2
        schema = parse_schema(args[1])
        out = io.BytesIO()
        writer = avro.datafile.DataFileWriter(out, avro.io.DatumWriter(), schema, codec="bzip2")
        writer._write_header()
        enc = avro.io.BinaryEncoder(out)
        enc.write_long(1)
        enc.write_bytes(bz2.compress(bytes(int(args[2]))))
        out.write(writer.sync_marker)
        with open(args[3], "wb") as f:
            f.write(out.getvalue())
    else:
        sys.exit("unknown command " + args[0])


if __name__ == "__main__":
    main(sys.argv[1:])
