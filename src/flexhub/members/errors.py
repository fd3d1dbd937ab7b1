"""Members error codes."""

from flexhub.kernel.errors import Conflict, NotFound, ValidationFailed, error_class

UnknownMember = error_class("members.unknown_member", 404, NotFound)
InvalidPhone = error_class("members.invalid_phone", 422, ValidationFailed)
InsufficientPoints = error_class("members.insufficient_points", 409, Conflict)
IdentityTaken = error_class("members.identity_taken", 409, Conflict)
UnknownCoupon = error_class("members.unknown_coupon", 404, NotFound)
CouponExists = error_class("members.coupon_exists", 409, Conflict)
InvalidCoupon = error_class("members.invalid_coupon", 422, ValidationFailed)
CouponNotApplicable = error_class("members.coupon_not_applicable", 409, Conflict)
CouponUsed = error_class("members.coupon_used", 409, Conflict)
