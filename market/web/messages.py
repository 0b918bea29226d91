"""Chinese words for the pages: statuses, units, audit actions and the services' refusals."""

from market.errors import DomainError

INSTRUMENT_STATUS = {"open": "交易中", "halted": "已暂停", "closed": "已关闭"}
TRADING_MODE = {"continuous": "连续竞价", "call_auction": "集合竞价"}
ACCOUNT_KIND = {"bureau": "自然资源局", "town": "镇（街道）", "company": "公司",
                "development_zone": "开发区", "government": "地方政府"}
# Journal transaction kinds as an account's cash statement names them.
JOURNAL_KIND = {"deposit": "银行入金", "withdrawal": "银行出金", "hold": "委托冻结资金",
                "release": "解除冻结资金", "payment": "结算付款", "refund": "结算退款",
                "forfeit": "保证金罚没", "proceeds": "成交价款", "fee": "交易手续费",
                "owe": "成交价款转入应付受益人款项", "disbursement": "支付受益人"}
TIME_IN_FORCE = {"GTC": "撤销前有效", "GTD": "指定日期前有效", "IOC": "立即成交剩余撤销",
                 "FOK": "全额成交否则撤销"}
ORDER_STATUS = {"open": "挂单中", "filled": "已成交", "cancelled": "已撤销", "expired": "已过期"}
UNIT = {"mu": "亩", "kg": "千克", "tCO2e": "吨二氧化碳当量"}

AUDIT_ACTIONS = {
    "account.create": "开立账户", "account.freeze": "冻结账户", "account.unfreeze": "解冻账户",
    "auction.uncross": "集合竞价撮合", "auth.login_failed": "登录失败", "auth.logout": "退出登录",
    "auth.token_revoked": "注销令牌", "auth.tokens_revoked": "注销全部令牌",
    "cash.deposit": "资金入金", "cash.withdraw": "资金出金",
    "instrument.halt": "暂停交易", "instrument.resume": "恢复交易",
    "instrument.update": "修改交易条款",
    "lot.register": "登记指标", "lot.verify": "核验指标", "lot.reject": "驳回指标",
    "lot.freeze": "冻结指标", "lot.unfreeze": "解冻指标", "lot.revoke": "注销指标",
    "lot.retire": "指标使用核销", "lot.evidence": "上传验收材料",
    "settlement.pay_cash": "结算付款（账户资金）", "settlement.pay_bank": "结算付款（银行到账）",
    "settlement.complete": "结算完成", "settlement.default": "结算违约",
    "settlement.cancel": "撤销结算", "user.create": "创建用户",
    "user.deactivate": "停用用户", "user.password_change": "重设密码",
    "alert.review": "告警已核查", "alert.dismiss": "告警已排除",
    "surveillance.settings": "修改监测阈值", "surveillance.detect": "手动运行异常监测",
    "settlement.delivery_held": "结算款已付清，指标冻结中暂缓交割",
    "lot.beneficiaries": "设定收益分配对象", "payout.disburse": "向受益人支付",
    "pledge.request": "申请质押", "pledge.register": "质押登记", "pledge.reject": "驳回质押",
    "pledge.release": "解除质押", "pledge.enforce": "质押处置（过户给质权人）",
}

ALERT_KINDS = {
    "guide_deviation": "成交价偏离指导价", "vwap_deviation": "成交价偏离 30 日均价",
    "band_rejection_storm": "超限委托集中被拒", "wash_trade": "同一地区内对倒成交",
    "cross_trade": "同一县区内关联成交", "circular": "循环买卖",
    "concentration": "成交过度集中", "cancel_fill_ratio": "撤单比例过高",
    "payout_overdue": "应付受益人款项逾期未付",
}
# The thresholds' descriptions are stored in English (migrations 0004, 0005).
THRESHOLDS = {
    "guide_deviation": "成交价偏离指导价超过该比例即告警",
    "vwap_deviation": "成交价偏离 30 日成交均价超过该比例即告警",
    "band_rejection_storm": "一小时内超出涨跌幅被拒的委托达到该笔数即告警",
    "circular_days": "同一地区在该天数内买入又卖出同一品种即告警",
    "concentration_share": "单一账户占当月成交量的份额超过该比例即告警",
    "cancel_fill_ratio": "撤单数与成交数之比超过该值即告警（撤单数须达到下限）",
    "concentration_min_trades": "当月成交达到该笔数后才判断成交集中度",
    "cancel_fill_min_cancels": "当日撤单达到该笔数后才判断撤单比例",
    "payout_overdue_days": "应付受益人的成交价款超过该天数仍未支付即告警",
}
SEVERITY = {"high": "高", "medium": "中", "low": "低"}
LOT_STATUS = {"pending": "待核验", "active": "有效", "rejected": "已驳回", "frozen": "已冻结",
              "revoked": "已注销"}
ORDER_SIDE = {"buy": "买入", "sell": "卖出"}
ROLE = {"trader": "交易方", "regulator": "监管人员", "admin": "系统管理员"}
ALERT_STATUS = {"open": "待处理", "reviewed": "已核查", "dismissed": "已排除"}
SETTLEMENT_BUCKETS = {
    "pending": "待付款", "due_within_3_days": "3 日内到期", "overdue": "已逾期未处理",
    "defaulted": "已违约", "cancelled": "已撤销", "completed": "已完成",
}
SETTLEMENT_STATUS = {"pending_payment": "待付款", "completed": "已完成", "defaulted": "已违约",
                     "cancelled": "已撤销"}
FLOW_DIRECTIONS = {"inflow": "流入（本市指标售往市外）", "outflow": "流出（本市购入市外指标）",
                   "internal": "市内调剂"}

FIELD_LABELS = {
    "guide_price": "指导价", "floor_price": "底价", "price_band": "涨跌幅限制",
    "tick_size": "最小变动价位", "lot_size": "交易单位", "settlement_days": "结算期限",
    "deposit_ratio": "保证金比例", "reason": "原因", "city": "城市", "period": "期间",
    "from": "起始日期", "instrument": "品种", "fee_bps": "手续费", "trading_mode": "交易方式",
    "amount": "金额", "reference": "银行流水号", "account_id": "所属账户",
    "district_code": "地区代码", "username": "用户名", "password": "密码", "name": "名称",
}

# Refusals the pages can meet, by the service's error code.
ERRORS = {
    "no_change": "没有需要修改的内容",
    "already_in_state": "对象已处于该状态，无需重复操作",
    "instrument_closed": "该品种已永久关闭",
    "open_orders_exist": "尚有挂单，不能修改交易单位、价位或交易方式；请先暂停交易并撤单",
    "not_found": "未找到对象",
    "alert_closed": "该告警已处理过",
    "bad_period": "期间格式应为 2026-11（月通报）或 2026-Q4（季分析）",
    "bad_range": "起始日期不能晚于截止日期",
    "unknown_district": "未知的地区代码",
    "not_a_city": "所选地区不是地级市",
    "unknown_instrument": "未知品种",
    "evidence_too_large": "文件超过 10 MB",
    "unsupported_evidence_type": "文件须为 PDF、JPEG 或 PNG（按文件内容识别）",
    "empty_evidence": "文件为空",
    "not_lot_owner": "只有指标所有人可以上传验收材料",
    "invalid_lot_status": "指标当前状态不允许此操作",
    "insufficient_quantity": "指标可用数量不足",
    "lot_not_active": "只有有效的指标可以交易",
    "order_closed": "委托已结束",
    "invalid_characters": "输入含有不允许的字符（空字符或不成对的代理字符）",
    "insufficient_funds": "可用资金不足",
    "overpayment": "付款金额超过尚欠金额",
    "settlement_closed": "该结算已结束，不能再付款或撤销",
    "duplicate_name": "该名称已被使用",
    "duplicate_username": "该用户名已被使用",
    "cannot_deactivate_self": "不能停用自己的账号",
    "forbidden": "无权执行该操作",
    "account_frozen": "账户已被冻结，不能交易或核销",
    "instrument_halted": "该品种已暂停交易",
    "lot_expired": "该指标已过有效期",
    "duplicate_client_order_id": "委托编号已被另一笔不同的委托使用，请刷新页面后重新报价",
    "bad_tick": "价格须为最小变动价位的整数倍",
    "outside_band": "价格超出指导价上下的涨跌幅限制",
    "below_floor": "价格低于底价",
    "bad_lot": "数量须为交易单位的整数倍",
    "non_positive_quantity": "数量须大于 0",
    "non_positive_price": "价格须大于 0",
    "shares_not_one": "各受益人份额之和须恰好等于 1",
    "duplicate_beneficiary": "同一受益人只能填写一次",
    "too_many": "受益人过多",
    "over_disbursement": "支付金额超过尚欠受益人的金额",
    "invalid_pledge_status": "质押当前状态不允许此操作",
    "lot_pledged": "指标有已登记的质押，请先解除或处置质押",
    "unknown_account": "未找到该账户",
    "lender_is_owner": "质权人账户不能是指标所有人的账户",
    "tif_not_allowed": "集合竞价品种不接受立即成交剩余撤销（IOC）或全额成交否则撤销（FOK）委托",
}
# InvalidInput refusals, by the field they name.
FIELD_ERRORS = {
    "floor_price": "底价不得高于指导价",
    "tick_size": "最小变动价位 × 交易单位须为整分",
    "settlement_days": "结算期限为 0 天时保证金比例须为 100%",
    "account_id": "交易方须指定所属账户，其他角色不能指定账户",
    "district_code": "只有监管人员可指定辖区，且辖区须为地级市或省",
}


def error_text(error: DomainError) -> str:
    """One Chinese sentence for a refusal, keeping the service's own detail after it."""
    text = ERRORS.get(error.code)
    if text is None and error.fields:
        field = next(iter(error.fields))
        text = FIELD_ERRORS.get(field, f"{FIELD_LABELS.get(field, field)}不符合规则")
    return f"{text or '操作被拒绝'}（{error.message}）"
