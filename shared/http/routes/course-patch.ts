import * as common from '../../schemas/common';
import * as courses from '../../schemas/courses';
import { route } from '../route';
import { notFound, problemResponses, unprocessable } from './responses';

export const patchCourse = route({
  method: 'PATCH',
  path: '/v1/courses/{courseId}',
  handler: 'course-patch',
  data: 'read-write',
  access: { kind: 'roles', roles: ['provider'] },
  summary: "Edit one of your courses; changing an accredited course's DSS items or levels suspends its accreditation until it is reviewed again",
  tag: 'courses',
  params: courses.courseParams,
  body: { json: courses.patchCourseBody },
  startsWorkflow: 'rebuild',
  responses: {
    200: { description: 'Updated, with its accreditation', schema: courses.courseView },
    ...problemResponses,
    404: notFound,
    409: { description: 'Changed by another request at the same time', schema: common.problem },
    422: unprocessable,
  },
});
