package backend

// The seed mirrors the fixture data in examples/shop/connectors.hcl so the bot
// behaves the same whether it talks to the fixture connector or to this service.
// GH500000 and JK500000 sit on the refund-rule boundaries (500 and 5000), and
// LM222222 is already fully refunded.

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
