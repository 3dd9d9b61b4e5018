package embed

import (
	"slices"
	"strings"
	"sync/atomic"
	"unicode/utf8"
)

// conceptTerms groups words and phrases that customers of an online shop use
// for the same thing, in English and Chinese. A term found in a text adds the
// concept as a feature, so "money back" meets "refund" and 质保 meets 保修
// even though they share no word. The table is general customer-service
// vocabulary, not any one shop's FAQ: a shop's own wording is learned by IDF.
//
// English terms are matched after stemming and stopword removal, up to three
// words; Chinese terms anywhere in a run of Chinese characters, longest first.
var conceptTerms = []struct {
	name  string
	terms []string
}{
	{"return", []string{"return", "send back", "send it back", "returnable", "退货", "退回", "寄回", "退掉", "退"}},
	{"refund", []string{"refund", "money back", "reimburse", "reimbursement", "refundable", "退款", "退钱", "返款", "钱退"}},
	{"exchange", []string{"exchange", "swap", "replacement", "replace", "换货", "调换", "更换商品", "换"}},
	{"ship", []string{"ship", "shipment", "deliver", "dispatch", "send out", "发货", "配送", "送货", "送达", "寄", "发出", "邮寄", "送"}},
	{"courier", []string{"courier", "carrier", "logistics", "express", "快递", "物流", "快递公司"}},
	{"parcel", []string{"parcel", "package", "packet", "包裹", "快递件"}},
	{"shipping-fee", []string{"postage", "shipping fee", "shipping cost", "delivery fee", "delivery charge", "运费", "邮费", "快递费", "包邮"}},
	{"tracking", []string{"track", "tracking", "tracking number", "where is my order", "物流信息", "快递单号", "运单号", "单号", "查件", "物流"}},
	{"arrive", []string{"arrive", "receive", "到货", "收到", "签收", "到账", "送到"}},
	{"lost", []string{"lost", "missing", "never arrived", "not received", "丢", "丢失", "丢件", "没收到", "没拿到"}},
	{"damaged", []string{"broken", "damage", "defect", "defective", "faulty", "fault", "cracked", "stop working", "not working", "坏", "损坏", "破损", "故障", "坏了", "质量问题", "碎"}},
	{"wrong-item", []string{"wrong item", "wrong product", "incorrect", "发错", "错发", "不对"}},
	{"warranty", []string{"warranty", "guarantee", "guaranteed", "保修", "质保", "保固", "售后"}},
	{"repair", []string{"repair", "fix", "mend", "service center", "维修", "修理", "送修", "修"}},
	{"cancel", []string{"cancel", "cancellation", "取消", "撤销"}},
	{"change", []string{"change", "modify", "update", "edit", "correct", "修改", "更改", "改", "变更", "更换"}},
	{"address", []string{"address", "地址", "收货地址"}},
	{"payment", []string{"pay", "payment", "paid", "付款", "支付", "付钱", "买单", "结算"}},
	{"alipay", []string{"alipay", "支付宝"}},
	{"wechat", []string{"wechat", "weixin", "微信"}},
	{"card", []string{"credit card", "debit card", "bank card", "visa", "mastercard", "unionpay", "信用卡", "借记卡", "银行卡", "银联"}},
	{"cash-on-delivery", []string{"cash on delivery", "cod", "pay on delivery", "货到付款"}},
	{"installment", []string{"installment", "instalment", "monthly payment", "pay monthly", "huabei", "分期", "花呗"}},
	{"charged-twice", []string{"charged twice", "double charge", "double charged", "duplicate charge", "重复扣款", "扣了两次", "多扣"}},
	{"currency", []string{"currency", "dollar", "usd", "yuan", "rmb", "cny", "exchange rate", "人民币", "美元", "外币", "汇率", "币种"}},
	{"invoice", []string{"invoice", "fapiao", "receipt", "vat", "发票", "收据", "增值税", "开票"}},
	{"price", []string{"price", "cost", "fee", "charge", "how much", "价格", "价钱", "费用", "多少钱", "收费", "钱"}},
	{"free", []string{"free", "no charge", "免费", "不要钱", "包邮"}},
	{"duration", []string{"how long", "how many days", "how soon", "time limit", "多久", "多长时间", "几天", "多少天", "时限", "期限"}},
	{"international", []string{"international", "abroad", "overseas", "foreign", "国外", "海外", "境外", "国际", "港澳台"}},
	{"customs", []string{"customs", "duty", "import tax", "tariff", "关税", "海关", "进口税"}},
	{"holiday", []string{"holiday", "festival", "new year", "节假日", "节日", "假期", "春节", "国庆", "过年"}},
	{"password", []string{"password", "passcode", "密码"}},
	{"login", []string{"login", "log in", "sign in", "logon", "登录", "登陆", "登不上"}},
	{"account", []string{"account", "profile", "membership", "账号", "账户", "帐号", "帐户", "会员"}},
	{"delete", []string{"delete", "erase", "remove", "close account", "deactivate", "删除", "注销", "销户", "清除"}},
	{"phone", []string{"phone number", "mobile number", "mobile", "cell", "手机号", "手机号码", "电话号码"}},
	{"contact", []string{"contact", "call", "hotline", "email", "reach", "联系", "热线", "客服电话", "邮箱", "电话"}},
	{"hours", []string{"opening hours", "business hours", "working hours", "weekend", "saturday", "sunday", "工作时间", "营业时间", "上班", "周末", "周六", "周日", "几点"}},
	{"human-agent", []string{"human", "agent", "real person", "representative", "人工", "真人", "人工客服"}},
	{"store", []string{"physical store", "retail store", "offline store", "showroom", "pick up in person", "visit your shop", "实体店", "门店", "线下", "到店", "自提"}},
	{"privacy", []string{"privacy", "personal data", "personal information", "data", "隐私", "个人信息", "个人数据", "资料", "数据"}},
	{"share-data", []string{"share", "sell my data", "third party", "advertiser", "共享", "卖给", "第三方", "泄露"}},
	{"coupon", []string{"coupon", "voucher", "promo code", "discount code", "优惠券", "代金券", "优惠码", "折扣码"}},
	{"order", []string{"order", "purchase", "订单", "下单", "购买"}},
}

// concepts is the matcher built from conceptTerms.
type concepts struct {
	names      []string
	en         map[uint64][]uint32 // word or pair hash of the stemmed term -> concepts
	zh         map[uint64][]uint32 // hash of the Chinese term -> concepts
	zhMaxRunes int
	duration   []uint32 // the duration concept, for numbers with a unit of time
}

var conceptTable atomic.Pointer[concepts]

func init() { conceptTable.Store(buildConcepts()) }

// buildConcepts indexes conceptTerms the way extractFeatures sees text: the
// same normalization, stopwords and stemmer, so a term matches exactly when
// the words of a text would.
func buildConcepts() *concepts {
	cs := &concepts{en: map[uint64][]uint32{}, zh: map[uint64][]uint32{}}
	for id, c := range conceptTerms {
		cs.names = append(cs.names, c.name)
		if c.name == "duration" {
			cs.duration = []uint32{uint32(id)}
		}
		for _, term := range c.terms {
			term = normalizeText(term)
			if r, _ := utf8.DecodeRuneInString(term); isHan(r) {
				h := hashStart(famHan2)
				for _, r := range term {
					h = hashRune(h, r)
				}
				cs.zh[h] = appendConcept(cs.zh[h], uint32(id))
				cs.zhMaxRunes = max(cs.zhMaxRunes, utf8.RuneCountInString(term))
				continue
			}
			var stems []string
			for _, w := range strings.Fields(term) {
				if !englishStopwords[w] {
					stems = append(stems, stemEnglish(w))
				}
			}
			var key uint64
			switch len(stems) {
			case 1:
				key = hashString(hashStart(famWord), stems[0])
			case 2:
				key = pairHash(stems[0], stems[1])
			case 3:
				// extractFeatures keys three words as the pair of the last
				// two extended by the first.
				key = hashString(pairHash(stems[1], stems[2])^' ', stems[0])
			default:
				continue
			}
			cs.en[key] = appendConcept(cs.en[key], uint32(id))
		}
	}
	return cs
}

func appendConcept(ids []uint32, id uint32) []uint32 {
	if slices.Contains(ids, id) {
		return ids
	}
	return append(ids, id)
}

// appendFeatures adds the features of the concepts ids: one of the language
// family fam (famConceptEn or famConceptZh), and one both languages share.
func (cs *concepts) appendFeatures(feats []feature, ids []uint32, p *params, fam byte) []feature {
	for _, c := range ids {
		if p.concept != 0 {
			feats = append(feats, feature{hashString(hashStart(fam), cs.names[c]), p.concept})
		}
		if p.conceptCross != 0 {
			feats = append(feats, feature{hashString(hashStart(famConcept), cs.names[c]), p.conceptCross})
		}
	}
	return feats
}
