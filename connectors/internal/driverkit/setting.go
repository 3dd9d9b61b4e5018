package driverkit

import "github.com/zclconf/go-cty/cty"

// Attr reads an attribute from decoded settings, tolerating the shapes a Config
// built by hand may have: a zero Value, null, a map, or an object without it.
// A mark on the settings as a whole is dropped, since a marked map cannot be
// indexed; marks on the attribute itself are kept.
func Attr(settings cty.Value, name string) cty.Value {
	if settings.Type() == cty.NilType || settings.IsNull() || !settings.IsKnown() {
		return cty.NullVal(cty.DynamicPseudoType)
	}
	settings, _ = settings.Unmark()
	ty := settings.Type()
	switch {
	case ty.IsObjectType() && ty.HasAttribute(name):
		return settings.GetAttr(name)
	case ty.IsMapType() && settings.HasIndex(cty.StringVal(name)).True():
		return settings.Index(cty.StringVal(name))
	}
	return cty.NullVal(cty.DynamicPseudoType)
}
