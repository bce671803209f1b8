import { describeAdapterConformance } from '../../../lib/testing';
import { amazonConnectHarness } from './harness';

describeAdapterConformance(amazonConnectHarness, { describe, it, expect });
