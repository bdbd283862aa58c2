// Addresses of the sharing pages.

/** 共享审批: applications, by tab (?tab=consumer|provider|escalated|all). */
export const SHARING_PATH = '/workbench/sharing';
/** 共享授权: grants, by tab (?tab=consumer|provider|all). */
export const GRANTS_PATH = '/workbench/grants';
/** 我的数据使用记录 (citizens and enterprises, outside the faces like 我可代理的企业). */
export const DATA_USE_PATH = '/portal/data-use';
/** 数据订阅: push subscriptions and their delivery state (?tab=mine|all). */
export const SUBSCRIPTIONS_PATH = '/workbench/subscriptions';
