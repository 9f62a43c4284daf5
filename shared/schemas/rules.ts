import * as z from 'zod/mini';
import { countingRule } from '../rules/model';

export const ruleList = z.object({ current: z.string(), rules: z.array(countingRule) });
