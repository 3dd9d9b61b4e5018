package backend

// The seed is what the shop bot's conversation tests (examples/shop/tests) and
// Go tests (examples/shop/shop_test.go) run against. AB123456, CD654321 and
// EF111111 are the orders of the docs and demos. The refund rules' boundaries
// each have an order: PQ000499 (auto-approved), GH500000 and JK500000 (500 and
// 5000: review), RS005001 (supervisor). LM222222 is already fully refunded.
// Every test that applies a refund has its own order, so the tests of one run
// do not see each other's refunds: PQ000499 and ZH880299 (the Chinese refund)
// for the conversation tests, UV330260 and WX440150 for the Go tests.

const currency = "CNY"

type order struct {
	ID            string
	Status        string
	Carrier       string
	ETA           string
	TotalCents    int64
	RefundedCents int64
	Email         string
	CustomerID    string
	Address       string
}

type customer struct {
	ID       string
	Name     string
	Tier     string
	Email    string
	Phone    string
	Language string
}

func seedOrders() map[string]*order {
	orders := []order{
		{ID: "AB123456", Status: "shipped", Carrier: "SF Express", ETA: "2026-11-25", TotalCents: 320_00, Email: "ann@example.com", CustomerID: "C1001", Address: "88 Century Avenue, Pudong, Shanghai"},
		{ID: "CD654321", Status: "processing", Carrier: "", ETA: "2026-11-28", TotalCents: 1280_00, Email: "bo@example.com", CustomerID: "C1002", Address: "1 Jianguomenwai Street, Chaoyang, Beijing"},
		{ID: "EF111111", Status: "delivered", Carrier: "JD Logistics", ETA: "2026-11-20", TotalCents: 8999_00, Email: "cy@example.com", CustomerID: "C1003", Address: "200 Tianhe Road, Tianhe, Guangzhou"},
		{ID: "GH500000", Status: "processing", Carrier: "", ETA: "2026-12-01", TotalCents: 500_00, Email: "ann@example.com", CustomerID: "C1001", Address: "88 Century Avenue, Pudong, Shanghai"},
		{ID: "JK500000", Status: "shipped", Carrier: "YTO Express", ETA: "2026-11-30", TotalCents: 5000_00, Email: "bo@example.com", CustomerID: "C1002", Address: "1 Jianguomenwai Street, Chaoyang, Beijing"},
		{ID: "PQ000499", Status: "delivered", Carrier: "SF Express", ETA: "2026-11-20", TotalCents: 499_00, Email: "cy@example.com", CustomerID: "C1003", Address: "200 Tianhe Road, Tianhe, Guangzhou"},
		{ID: "RS005001", Status: "delivered", Carrier: "SF Express", ETA: "2026-11-20", TotalCents: 5001_00, Email: "ann@example.com", CustomerID: "C1001", Address: "88 Century Avenue, Pudong, Shanghai"},
		{ID: "ZH880299", Status: "delivered", Carrier: "顺丰速运", ETA: "2026-11-20", TotalCents: 299_00, Email: "bo@example.com", CustomerID: "C1002", Address: "北京市朝阳区建国门外大街1号"},
		{ID: "UV330260", Status: "delivered", Carrier: "JD Logistics", ETA: "2026-11-19", TotalCents: 260_00, Email: "cy@example.com", CustomerID: "C1003", Address: "200 Tianhe Road, Tianhe, Guangzhou"},
		{ID: "WX440150", Status: "delivered", Carrier: "YTO Express", ETA: "2026-11-18", TotalCents: 150_00, Email: "ann@example.com", CustomerID: "C1001", Address: "88 Century Avenue, Pudong, Shanghai"},
		{ID: "LM222222", Status: "delivered", Carrier: "SF Express", ETA: "2026-11-10", TotalCents: 199_00, RefundedCents: 199_00, Email: "cy@example.com", CustomerID: "C1003", Address: "200 Tianhe Road, Tianhe, Guangzhou"},
	}
	byID := make(map[string]*order, len(orders))
	for i := range orders {
		byID[orders[i].ID] = &orders[i]
	}
	return byID
}

func seedCustomers() map[string]*customer {
	customers := []customer{
		{ID: "C1001", Name: "Ann", Tier: "vip", Email: "ann@example.com", Phone: "+8613800000001", Language: "en"},
		{ID: "C1002", Name: "Bo", Tier: "standard", Email: "bo@example.com", Phone: "+8613900000002", Language: "zh"},
		{ID: "C1003", Name: "Cy", Tier: "standard", Email: "cy@example.com", Phone: "+8613700000003", Language: "en"},
	}
	byID := make(map[string]*customer, len(customers))
	for i := range customers {
		byID[customers[i].ID] = &customers[i]
	}
	return byID
}
