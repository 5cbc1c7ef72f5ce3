package oracle_test

import (
	gs "github.com/tonga-go/tonga/internal/oracle/gogen/seed"
	"github.com/tonga-go/tonga/runtime/tonga"
	seed "github.com/tonga-go/tonga/testdata/seed/want"
)

// This file converts the seed records between our generated types (seed,
// with the shared tonga.Envelope) and gogen-avro's (gs), and makes random
// values of ours.

// genv holds gogen-avro's envelope fields, which every gogen-avro seed
// record repeats under the same names.
type genv struct {
	schemaVersion, recordID string
	partitionKey            *gs.UnionNullString
	timestamp               float64
	datetime, correlationID string
	context                 map[string]*gs.UnionNullIntLongFloatDoubleString
}

func envToGogen(e *tonga.Envelope) genv {
	g := genv{
		schemaVersion: e.SchemaVersion, recordID: e.RecordID, timestamp: e.Timestamp,
		datetime: e.Datetime, correlationID: e.CorrelationID,
		context: mapValues(e.Context, contextValueToGogen),
	}
	if e.PartitionKey != nil {
		g.partitionKey = &gs.UnionNullString{String: *e.PartitionKey, UnionType: gs.UnionNullStringTypeEnumString}
	}
	return g
}

func envFromGogen(g genv) tonga.Envelope {
	e := tonga.Envelope{
		SchemaVersion: g.schemaVersion, RecordID: g.recordID, Timestamp: g.timestamp,
		Datetime: g.datetime, CorrelationID: g.correlationID,
		Context: mapValues(g.context, contextValueFromGogen),
	}
	if u := g.partitionKey; u != nil && u.UnionType == gs.UnionNullStringTypeEnumString {
		e.PartitionKey = ptr(u.String)
	}
	return e
}

type gcontext = gs.UnionNullIntLongFloatDoubleString

func contextValueToGogen(v tonga.ContextValue) *gcontext {
	switch v := v.(type) {
	case nil:
		return nil
	case tonga.ContextInt:
		return &gcontext{Int: int32(v), UnionType: gs.UnionNullIntLongFloatDoubleStringTypeEnumInt}
	case tonga.ContextLong:
		return &gcontext{Long: int64(v), UnionType: gs.UnionNullIntLongFloatDoubleStringTypeEnumLong}
	case tonga.ContextFloat:
		return &gcontext{Float: float32(v), UnionType: gs.UnionNullIntLongFloatDoubleStringTypeEnumFloat}
	case tonga.ContextDouble:
		return &gcontext{Double: float64(v), UnionType: gs.UnionNullIntLongFloatDoubleStringTypeEnumDouble}
	case tonga.ContextString:
		return &gcontext{String: string(v), UnionType: gs.UnionNullIntLongFloatDoubleStringTypeEnumString}
	}
	panic("unknown branch")
}

func contextValueFromGogen(g *gcontext) tonga.ContextValue {
	if g == nil {
		return nil
	}
	switch g.UnionType {
	case gs.UnionNullIntLongFloatDoubleStringTypeEnumInt:
		return tonga.ContextInt(g.Int)
	case gs.UnionNullIntLongFloatDoubleStringTypeEnumLong:
		return tonga.ContextLong(g.Long)
	case gs.UnionNullIntLongFloatDoubleStringTypeEnumFloat:
		return tonga.ContextFloat(g.Float)
	case gs.UnionNullIntLongFloatDoubleStringTypeEnumDouble:
		return tonga.ContextDouble(g.Double)
	case gs.UnionNullIntLongFloatDoubleStringTypeEnumString:
		return tonga.ContextString(g.String)
	}
	return nil
}

func coffeeOrderedToGogen(x *seed.CoffeeOrdered) gs.CoffeeOrdered {
	e := envToGogen(&x.Envelope)
	return gs.CoffeeOrdered{
		Schema_version: e.schemaVersion, Record_id: e.recordID, Partition_key: e.partitionKey,
		Timestamp: e.timestamp, Datetime: e.datetime, Correlation_id: e.correlationID, Context: e.context,
		Uuid: x.UUID, Cup_type: x.CupType, Coffee_type: x.CoffeeType, Coffee_for: x.CoffeeFor, Amount: x.Amount,
	}
}

func coffeeOrderedFromGogen(g gs.CoffeeOrdered) *seed.CoffeeOrdered {
	return &seed.CoffeeOrdered{
		Envelope: envFromGogen(genv{g.Schema_version, g.Record_id, g.Partition_key, g.Timestamp, g.Datetime, g.Correlation_id, g.Context}),
		UUID:     g.Uuid, CupType: g.Cup_type, CoffeeType: g.Coffee_type, CoffeeFor: g.Coffee_for, Amount: g.Amount,
	}
}

func coffeeServedToGogen(x *seed.CoffeeServed) gs.CoffeeServed {
	e := envToGogen(&x.Envelope)
	return gs.CoffeeServed{
		Schema_version: e.schemaVersion, Record_id: e.recordID, Partition_key: e.partitionKey,
		Timestamp: e.timestamp, Datetime: e.datetime, Correlation_id: e.correlationID, Context: e.context,
		Uuid: x.UUID, Served_to: x.ServedTo, Is_payed: x.IsPayed, Amount: x.Amount, //nolint:misspell // the seed schema's is_payed
	}
}

func coffeeServedFromGogen(g gs.CoffeeServed) *seed.CoffeeServed {
	return &seed.CoffeeServed{
		Envelope: envFromGogen(genv{g.Schema_version, g.Record_id, g.Partition_key, g.Timestamp, g.Datetime, g.Correlation_id, g.Context}),
		UUID:     g.Uuid, ServedTo: g.Served_to, IsPayed: g.Is_payed, Amount: g.Amount, //nolint:misspell // the seed schema's is_payed
	}
}

func coffeeFinishedToGogen(x *seed.CoffeeFinished) gs.CoffeeFinished {
	e := envToGogen(&x.Envelope)
	return gs.CoffeeFinished{
		Schema_version: e.schemaVersion, Record_id: e.recordID, Partition_key: e.partitionKey,
		Timestamp: e.timestamp, Datetime: e.datetime, Correlation_id: e.correlationID, Context: e.context,
		Uuid: x.UUID, Coffee_time: x.CoffeeTime, Coffee_for: x.CoffeeFor,
	}
}

func coffeeFinishedFromGogen(g gs.CoffeeFinished) *seed.CoffeeFinished {
	return &seed.CoffeeFinished{
		Envelope: envFromGogen(genv{g.Schema_version, g.Record_id, g.Partition_key, g.Timestamp, g.Datetime, g.Correlation_id, g.Context}),
		UUID:     g.Uuid, CoffeeTime: g.Coffee_time, CoffeeFor: g.Coffee_for,
	}
}

func coffeeStartedToGogen(x *seed.CoffeeStarted) gs.CoffeeStarted {
	e := envToGogen(&x.Envelope)
	return gs.CoffeeStarted{
		Schema_version: e.schemaVersion, Record_id: e.recordID, Partition_key: e.partitionKey,
		Timestamp: e.timestamp, Datetime: e.datetime, Correlation_id: e.correlationID, Context: e.context,
		Uuid: x.UUID,
	}
}

func coffeeStartedFromGogen(g gs.CoffeeStarted) *seed.CoffeeStarted {
	return &seed.CoffeeStarted{
		Envelope: envFromGogen(genv{g.Schema_version, g.Record_id, g.Partition_key, g.Timestamp, g.Datetime, g.Correlation_id, g.Context}),
		UUID:     g.Uuid,
	}
}

func billCreatedToGogen(x *seed.BillCreated) gs.BillCreated {
	e := envToGogen(&x.Envelope)
	return gs.BillCreated{
		Schema_version: e.schemaVersion, Record_id: e.recordID, Partition_key: e.partitionKey,
		Timestamp: e.timestamp, Datetime: e.datetime, Correlation_id: e.correlationID, Context: e.context,
		Uuid: x.UUID, Coffee_uuid: x.CoffeeUUID, Amount: x.Amount,
	}
}

func billCreatedFromGogen(g gs.BillCreated) *seed.BillCreated {
	return &seed.BillCreated{
		Envelope: envFromGogen(genv{g.Schema_version, g.Record_id, g.Partition_key, g.Timestamp, g.Datetime, g.Correlation_id, g.Context}),
		UUID:     g.Uuid, CoffeeUUID: g.Coffee_uuid, Amount: g.Amount,
	}
}

func billPaidToGogen(x *seed.BillPaid) gs.BillPaid {
	e := envToGogen(&x.Envelope)
	return gs.BillPaid{
		Schema_version: e.schemaVersion, Record_id: e.recordID, Partition_key: e.partitionKey,
		Timestamp: e.timestamp, Datetime: e.datetime, Correlation_id: e.correlationID, Context: e.context,
		Uuid: x.UUID, Coffee_uuid: x.CoffeeUUID, Amount: x.Amount,
	}
}

func billPaidFromGogen(g gs.BillPaid) *seed.BillPaid {
	return &seed.BillPaid{
		Envelope: envFromGogen(genv{g.Schema_version, g.Record_id, g.Partition_key, g.Timestamp, g.Datetime, g.Correlation_id, g.Context}),
		UUID:     g.Uuid, CoffeeUUID: g.Coffee_uuid, Amount: g.Amount,
	}
}

func makeCoffeeToGogen(x *seed.MakeCoffee) gs.MakeCoffee {
	e := envToGogen(&x.Envelope)
	return gs.MakeCoffee{
		Schema_version: e.schemaVersion, Record_id: e.recordID, Processing_guarantee: x.ProcessingGuarantee,
		Partition_key: e.partitionKey, Timestamp: e.timestamp, Datetime: e.datetime,
		Correlation_id: e.correlationID, Context: e.context,
		Uuid: x.UUID, Cup_type: x.CupType, Coffee_type: x.CoffeeType,
	}
}

func makeCoffeeFromGogen(g gs.MakeCoffee) *seed.MakeCoffee {
	return &seed.MakeCoffee{
		Envelope:            envFromGogen(genv{g.Schema_version, g.Record_id, g.Partition_key, g.Timestamp, g.Datetime, g.Correlation_id, g.Context}),
		ProcessingGuarantee: g.Processing_guarantee,
		UUID:                g.Uuid, CupType: g.Cup_type, CoffeeType: g.Coffee_type,
	}
}

func makeCoffeeResultToGogen(x *seed.MakeCoffeeResult) gs.MakeCoffeeResult {
	e := envToGogen(&x.Envelope)
	g := gs.MakeCoffeeResult{
		Schema_version: e.schemaVersion, Record_id: e.recordID, Partition_key: e.partitionKey,
		Timestamp: e.timestamp, Datetime: e.datetime, Correlation_id: e.correlationID, Context: e.context,
		Uuid: x.UUID,
	}
	if x.Error != nil {
		d := gs.Error_details{Label: x.Error.Label}
		if x.Error.Message != nil {
			d.Message = &gs.UnionStringNull{String: *x.Error.Message, UnionType: gs.UnionStringNullTypeEnumString}
		}
		g.Error = &gs.UnionNullError_details{Error_details: d, UnionType: gs.UnionNullError_detailsTypeEnumError_details}
	}
	return g
}

func makeCoffeeResultFromGogen(g gs.MakeCoffeeResult) *seed.MakeCoffeeResult {
	x := &seed.MakeCoffeeResult{
		Envelope: envFromGogen(genv{g.Schema_version, g.Record_id, g.Partition_key, g.Timestamp, g.Datetime, g.Correlation_id, g.Context}),
		UUID:     g.Uuid,
	}
	if u := g.Error; u != nil && u.UnionType == gs.UnionNullError_detailsTypeEnumError_details {
		x.Error = &tonga.ResultError{Label: u.Error_details.Label}
		if m := u.Error_details.Message; m != nil && m.UnionType == gs.UnionStringNullTypeEnumString {
			x.Error.Message = ptr(m.String)
		}
	}
	return x
}

func storeRecordToGogen(x *seed.Record) gs.Record {
	return gs.Record{
		Schema_version: x.SchemaVersion, Timestamp: x.Timestamp, Datetime: x.Datetime,
		Operation_type: x.OperationType, Key: x.Key, Value: x.Value,
	}
}

func storeRecordFromGogen(g gs.Record) *seed.Record {
	return &seed.Record{
		SchemaVersion: g.Schema_version, Timestamp: g.Timestamp, Datetime: g.Datetime,
		OperationType: g.Operation_type, Key: g.Key, Value: g.Value,
	}
}

// envUnique reports whether e has a single encoding: its context has at
// most one key.
func envUnique(e tonga.Enveloped) bool { return len(e.TongaEnvelope().Context) <= 1 }

func (g *gen) contextValue() tonga.ContextValue {
	switch g.intn(6) {
	case 0:
		return nil
	case 1:
		return tonga.ContextInt(g.int())
	case 2:
		return tonga.ContextLong(g.long())
	case 3:
		return tonga.ContextFloat(g.float())
	case 4:
		return tonga.ContextDouble(g.double())
	default:
		return tonga.ContextString(g.str())
	}
}

// envelope returns a random envelope; sometimes a realistic one, from
// tonga.NewEnvelope at a fixed time.
func (g *gen) envelope() tonga.Envelope {
	return tonga.Envelope{
		SchemaVersion: g.str(), RecordID: g.str(), PartitionKey: g.optStr(), Timestamp: g.double(),
		Datetime: g.str(), CorrelationID: g.str(),
		Context: tonga.Context(dict(g, g.mapLen(), g.contextValue)),
	}
}

func (g *gen) coffeeOrdered() *seed.CoffeeOrdered {
	return &seed.CoffeeOrdered{
		Envelope: g.envelope(), UUID: g.str(), CupType: g.str(), CoffeeType: g.str(), CoffeeFor: g.str(), Amount: g.float(),
	}
}

func (g *gen) coffeeServed() *seed.CoffeeServed {
	return &seed.CoffeeServed{Envelope: g.envelope(), UUID: g.str(), ServedTo: g.str(), IsPayed: g.bool(), Amount: g.float()}
}

func (g *gen) coffeeFinished() *seed.CoffeeFinished {
	return &seed.CoffeeFinished{Envelope: g.envelope(), UUID: g.str(), CoffeeTime: g.float(), CoffeeFor: g.str()}
}

func (g *gen) coffeeStarted() *seed.CoffeeStarted {
	return &seed.CoffeeStarted{Envelope: g.envelope(), UUID: g.str()}
}

func (g *gen) billCreated() *seed.BillCreated {
	return &seed.BillCreated{Envelope: g.envelope(), UUID: g.str(), CoffeeUUID: g.str(), Amount: g.float()}
}

func (g *gen) billPaid() *seed.BillPaid {
	return &seed.BillPaid{Envelope: g.envelope(), UUID: g.str(), CoffeeUUID: g.str(), Amount: g.float()}
}

func (g *gen) makeCoffee() *seed.MakeCoffee {
	guarantees := []string{"at_least_once", "at_most_once", "exactly_once", ""}
	pg := guarantees[g.intn(len(guarantees))]
	if g.one(4) {
		pg = g.str()
	}
	return &seed.MakeCoffee{Envelope: g.envelope(), ProcessingGuarantee: pg, UUID: g.str(), CupType: g.str(), CoffeeType: g.str()}
}

func (g *gen) makeCoffeeResult() *seed.MakeCoffeeResult {
	x := &seed.MakeCoffeeResult{Envelope: g.envelope(), UUID: g.str()}
	if !g.one(3) {
		x.Error = &tonga.ResultError{Label: g.str(), Message: g.optStr()}
	}
	return x
}

func (g *gen) storeRecord() *seed.Record {
	ops := []string{"set", "del"}
	return &seed.Record{
		SchemaVersion: g.str(), Timestamp: g.double(), Datetime: g.str(),
		OperationType: ops[g.intn(2)], Key: g.str(), Value: g.bytes(),
	}
}

// fixedEnvelopes are envelopes as the runtime makes them, plus a zero one.
func fixedEnvelopes() []tonga.Envelope {
	e := tonga.NewEnvelope("1.2.3")
	e.PartitionKey = ptr("table-7")
	e.Context = tonga.Context{"user": tonga.ContextString("zoé"), "n": tonga.ContextLong(-3), "none": nil}
	one := tonga.NewEnvelope(tonga.DefaultSchemaVersion)
	one.Context = tonga.Context{"tip": tonga.ContextDouble(0.5)}
	return []tonga.Envelope{{}, e, one}
}
