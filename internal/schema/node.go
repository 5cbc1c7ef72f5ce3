package schema

import "github.com/tonga-go/tonga/internal/diag"

// NodeKind is the JSON type of a [Node].
type NodeKind int

// The kinds of node a schema document is made of.
const (
	NullNode NodeKind = iota
	BoolNode
	NumberNode
	StringNode
	ArrayNode
	ObjectNode
)

func (k NodeKind) String() string {
	switch k {
	case NullNode:
		return "null"
	case BoolNode:
		return "boolean"
	case NumberNode:
		return "number"
	case StringNode:
		return "string"
	case ArrayNode:
		return "array"
	default:
		return "object"
	}
}

// Node is one value of a schema document, JSON or YAML, with the position
// it was read from. YAML documents are reduced to the JSON data model:
// mappings become objects with string keys, sequences arrays, and scalars
// null, booleans, numbers or strings as YAML 1.2's core schema resolves them.
type Node struct {
	Kind NodeKind
	Pos  diag.Pos
	// Bool is the value of a BoolNode.
	Bool bool
	// Text is the value of a StringNode, or the literal of a NumberNode
	// in JSON syntax (for example "-1", "2.5e3").
	Text string
	// Items are the elements of an ArrayNode.
	Items []*Node
	// Members are the members of an ObjectNode, in document order.
	Members []Member
}

// Member is one key/value pair of an object node.
type Member struct {
	Key    string
	KeyPos diag.Pos
	Value  *Node
}

// Get returns the value of the member named key, or nil.
func (n *Node) Get(key string) *Node {
	if n == nil || n.Kind != ObjectNode {
		return nil
	}
	for _, m := range n.Members {
		if m.Key == key {
			return m.Value
		}
	}
	return nil
}
